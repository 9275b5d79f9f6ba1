/* Refines the server-rendered countdown every second; the page is complete without it. */
(function () {
    "use strict";
    function pad(n) { return String(n); }
    function tick(box, deadline) {
        var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
        var units = { days: Math.floor(left / 86400), hours: Math.floor(left % 86400 / 3600),
            minutes: Math.floor(left % 3600 / 60), seconds: left % 60 };
        Object.keys(units).forEach(function (unit) {
            var el = box.querySelector('[data-unit="' + unit + '"]');
            if (el) { el.textContent = pad(units[unit]); }
        });
        if (left === 0) {
            var state = box.querySelector("[data-countdown-state]");
            if (state) { state.textContent = box.getAttribute("data-label-closed"); }
            var rest = box.querySelector("[data-countdown-left]");
            if (rest) { rest.hidden = true; }
            box.className = box.className.replace(/awards-countdown--\w+/, "awards-countdown--closed");
            return false;
        }
        return true;
    }
    document.querySelectorAll("[data-awards-countdown]").forEach(function (box) {
        var deadline = Date.parse(box.getAttribute("data-deadline"));
        if (isNaN(deadline) || !box.querySelector("[data-countdown-left]")) { return; }
        box.setAttribute("data-countdown-live", "");
        var timer = setInterval(function () { if (!tick(box, deadline)) { clearInterval(timer); } }, 1000);
        tick(box, deadline);
    });
})();
