"""Measuring whether a page fits its window: nothing wider than the window, nothing cut off.

`fit_problems(page)` returns one sentence per element that overflows: the document wider than the
viewport, a box whose content is wider than the box (a table cut off inside a scrolling results
area, a button whose label is clipped), or an element that reaches past the window's right edge.
Boxes marked `data-scroll-box` (wide previews) may scroll inside themselves.
"""

FIT_SCRIPT = """
() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const skip = new Set(["INPUT", "SELECT", "TEXTAREA", "OPTION", "SCRIPT", "STYLE", "CANVAS", "svg"]);
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\\s+/).slice(0, 2).join(".") : "";
    const text = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}${id}${cls} "${text}"`;
  };
  // An element cut off by a scrolling or clipping ancestor is reported once, as that ancestor.
  const insideClippingBox = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
  }
  const exempt = "[data-scroll-box], .sr-only, .visually-hidden, .hidden, template";
  for (const el of document.body.querySelectorAll("*")) {
    if (skip.has(el.tagName) || el.closest(exempt)) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const clips = ["auto", "scroll", "hidden", "clip"].includes(style.overflowX);
    if (clips && el.scrollWidth > el.clientWidth + 2) {
      problems.push(`${describe(el)} cuts off ${el.scrollWidth - el.clientWidth}px of its content`);
    } else if (rect.right > width + 1 && style.position !== "fixed" && !insideClippingBox(el)) {
      problems.push(`${describe(el)} reaches ${Math.round(rect.right)}px, past the ${width}px window`);
    }
  }
  return problems;
}
"""


def fit_problems(page) -> list[str]:
    return page.evaluate(FIT_SCRIPT)
