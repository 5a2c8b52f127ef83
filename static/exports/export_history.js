/* The export history follows pending and running exports: it polls their status, moves the
   progress bars, and reloads the page once one of them finishes (to show its download). */
"use strict";
{
    const POLL_MS = 2000;
    const poll = document.getElementById("export-history-poll");

    function activeBadges() {
        return Array.from(
            document.querySelectorAll('[data-export-status="pending"], [data-export-status="running"]')
        );
    }

    function update(item) {
        const badge = document.querySelector(`[data-export-id="${item.id}"]`);
        if (!badge) {
            return false;
        }
        if (badge.dataset.exportStatus !== item.status) {
            return true; // status changed: the row's actions change too, so reload the page
        }
        const progress = document.querySelector(`[data-export-progress="${item.id}"]`);
        if (progress) {
            progress.querySelector("progress").value = item.progress;
            progress.querySelector(".export-progress-text").textContent = `${item.progress}%`;
        }
        const rows = document.querySelector(`[data-export-rows="${item.id}"]`);
        if (rows && item.row_count) {
            rows.textContent = `${item.rows_written.toLocaleString()} of ${item.row_count.toLocaleString()}`;
        }
        return false;
    }

    async function tick() {
        const badges = activeBadges();
        if (!badges.length) {
            return;
        }
        const query = new URLSearchParams(badges.map((badge) => ["id", badge.dataset.exportId]));
        try {
            const response = await fetch(`${poll.dataset.statusUrl}?${query}`, {
                credentials: "same-origin",
                headers: {Accept: "application/json"},
            });
            if (response.ok) {
                const data = await response.json();
                const seen = new Set(data.exports.map((item) => item.id));
                // A changed status, or an export that vanished (deleted elsewhere), refreshes the list.
                const changed = data.exports.map(update).some(Boolean) || badges.some((b) => !seen.has(b.dataset.exportId));
                if (changed) {
                    window.location.reload();
                    return;
                }
            }
        } catch (error) {
            // A network blip: try again at the next tick.
        }
        window.setTimeout(tick, POLL_MS);
    }

    if (poll && poll.dataset.statusUrl) {
        window.setTimeout(tick, POLL_MS);
    }
}
