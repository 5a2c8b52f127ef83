// "Copy" next to the API token: copies it to the clipboard and says so.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("api-token-copy");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById("api-token-copied");
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "Copied.";
    } catch (error) {
      // Without clipboard access (plain http, old browsers) the token stays selected for Ctrl+C.
      status.textContent = "Selected: press Ctrl+C to copy.";
    }
  });
});
