/* The objection form of a cached publicity page: its question and CSRF token come from the uncached challenge
   endpoint. Without this script the form stays hidden and a link opens the page with the question on it. */
(function () {
    "use strict";

    function setup(form) {
        var url = form.getAttribute("data-challenge-url");
        var fallback = document.querySelector("[data-objection-fallback]");

        function load() {
            return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
                .then(function (response) {
                    if (!response.ok) { throw new Error(response.status); }
                    return response.json();
                })
                .then(function (data) {
                    form.querySelector("[data-challenge-key]").value = data.key;
                    form.querySelector("[data-challenge-csrf]").value = data.csrf;
                    form.querySelector("[data-challenge-image]").src = data.image;
                    form.querySelector("input[name=captcha_1]").value = "";
                    form.hidden = false;
                    if (fallback) { fallback.hidden = true; }
                });
        }

        load().catch(function () { /* The link still leads to the form with its question. */ });
        form.querySelector("[data-challenge-refresh]").addEventListener("click", function () {
            load().catch(function () {});
        });
    }

    document.querySelectorAll("[data-objection-form][data-challenge-url]").forEach(setup);
})();
