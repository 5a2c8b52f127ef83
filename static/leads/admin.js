/*
 * The lead changelist's sidebar.
 * - Forms leave empty inputs out of the URL, so a filtered list's address holds
 *   only the filters in use (it is a filter spec).
 * - A long list that scrolls (Craigslist sites) opens on its first chosen value.
 */
"use strict";
{
    document.addEventListener("submit", (event) => {
        const form = event.target;
        if (!form.matches("form[data-lead-filter-form]")) {
            return;
        }
        for (const input of form.elements) {
            if (input.name && input.value.trim() === "") {
                input.disabled = true;
            }
        }
    });

    // Coming back with the browser's back button must find the inputs usable again.
    window.addEventListener("pageshow", () => {
        document.querySelectorAll("form[data-lead-filter-form] [disabled]").forEach((input) => {
            input.disabled = false;
        });
    });

    document.addEventListener("DOMContentLoaded", () => {
        document.querySelectorAll("#changelist-filter ul.lead-filter-scroll").forEach((list) => {
            const chosen = list.querySelector("li.selected a.lead-filter-toggle");
            if (chosen) {
                const item = chosen.parentElement;
                list.scrollTop = item.offsetTop - list.offsetTop - list.clientHeight / 3;
            }
        });
    });
}
