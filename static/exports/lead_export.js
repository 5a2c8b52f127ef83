/* The export page's column picker: move columns up and down, show contact columns only when
   contact info is included, and keep the preview table in step with the chosen columns and
   contact mode (each contact cell carries its text in every mode the user may choose). */
"use strict";
{
    const list = document.getElementById("export-columns");
    const contact = document.getElementById("id_include_contact_info");
    const preview = document.getElementById("export-preview");
    const contactMode = document.querySelector('select[name="contact_mode"]');

    function syncContactMode() {
        if (!preview || !contactMode) {
            return;
        }
        const attribute = `data-contact-${contactMode.value}`;
        for (const cell of preview.querySelectorAll(`td[${attribute}]`)) {
            cell.textContent = cell.getAttribute(attribute);
        }
    }

    function items() {
        return Array.from(list.querySelectorAll("li.export-column"));
    }

    function syncContact() {
        const included = contact ? contact.checked : false;
        for (const item of list.querySelectorAll("li.export-column-contact")) {
            item.hidden = !included;
            // A hidden column is not sent, so it cannot end up in the file by a stale tick.
            item.querySelector("input").disabled = !included;
        }
    }

    function syncPreview() {
        if (!preview) {
            return;
        }
        const shown = items()
            .filter((item) => !item.hidden && item.querySelector("input").checked)
            .map((item) => item.dataset.column);
        for (const row of preview.querySelectorAll("tr")) {
            const cells = Array.from(row.children);
            if (cells.length === 1 && cells[0].hasAttribute("colspan")) {
                continue;
            }
            const byKey = new Map(cells.map((cell) => [cell.dataset.column, cell]));
            for (const cell of cells) {
                cell.hidden = !shown.includes(cell.dataset.column);
            }
            // Shown cells first, in the picker's order; hidden ones keep their place after them.
            for (const key of shown) {
                const cell = byKey.get(key);
                if (cell) {
                    row.appendChild(cell);
                }
            }
            for (const cell of cells) {
                if (cell.hidden) {
                    row.appendChild(cell);
                }
            }
        }
    }

    function move(item, direction) {
        let sibling = direction === "up" ? item.previousElementSibling : item.nextElementSibling;
        // Skip hidden (contact) columns so a click always moves the item visibly.
        while (sibling && sibling.hidden) {
            sibling = direction === "up" ? sibling.previousElementSibling : sibling.nextElementSibling;
        }
        if (!sibling) {
            return;
        }
        if (direction === "up") {
            list.insertBefore(item, sibling);
        } else {
            list.insertBefore(item, sibling.nextElementSibling);
        }
        item.querySelector(`button[data-move="${direction}"]`).focus();
        syncPreview();
    }

    if (list) {
        list.addEventListener("click", (event) => {
            const button = event.target.closest("button[data-move]");
            if (button) {
                event.preventDefault();
                move(button.closest("li"), button.dataset.move);
            }
        });
        list.addEventListener("change", syncPreview);
        if (contact) {
            contact.addEventListener("change", () => {
                syncContact();
                syncPreview();
            });
        }
        if (contactMode) {
            contactMode.addEventListener("change", syncContactMode);
        }
        syncContact();
        syncPreview();
        syncContactMode();
    }
}
