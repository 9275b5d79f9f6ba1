/* The voting block's question: fetched from the uncached challenge endpoint, so the page itself can be cached.
   Without this script every "Vote" link leads to a confirmation page that asks the question itself. */
(function () {
    "use strict";

    function setup(section) {
        var form = section.querySelector("[data-vote-form]");
        if (!form) { return; }
        var url = section.getAttribute("data-challenge-url");
        var answer = form.querySelector("[data-vote-answer]");
        var error = form.querySelector("[data-vote-error]");

        function load() {
            var asked = url + "?next=" + encodeURIComponent(window.location.pathname);
            return fetch(asked, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
                .then(function (response) {
                    if (!response.ok) { throw new Error(response.status); }
                    return response.json();
                })
                .then(function (data) {
                    if (data.need) {
                        /* Not a voter yet: say what to do (log in, enter a voting code, verify the address …). */
                        form.querySelector("[data-vote-question]").hidden = true;
                        form.querySelector("[data-vote-help]").hidden = true;
                        var login = form.querySelector("[data-vote-login]");
                        var link = login.querySelector("[data-vote-login-link]");
                        login.querySelector("[data-vote-need]").textContent = data.message;
                        link.hidden = !data.url;
                        if (data.url) {
                            link.href = data.url;
                            link.textContent = data.link;
                        }
                        login.hidden = false;
                        form.hidden = false;
                        return false;
                    }
                    form.querySelector("[data-vote-key]").value = data.key;
                    form.querySelector("[data-vote-csrf]").value = data.csrf;
                    form.querySelector("[data-vote-image]").src = data.image;
                    var audio = form.querySelector("[data-vote-audio]");
                    if (audio) {
                        audio.hidden = !data.audio;
                        audio.href = data.audio || "";
                    }
                    answer.value = "";
                    form.hidden = false;
                    return true;
                });
        }

        load().then(function (ready) {
            if (!ready) { return; }
            section.querySelectorAll("[data-vote-link]").forEach(function (link) {
                link.addEventListener("click", function (event) {
                    event.preventDefault();
                    if (!answer.value.trim()) {
                        error.hidden = false;
                        answer.focus();
                        return;
                    }
                    error.hidden = true;
                    form.action = link.getAttribute("href");
                    form.submit();
                });
            });
        }).catch(function () {
            /* The links still work: they lead to the confirmation page. */
        });

        form.querySelector("[data-vote-refresh]").addEventListener("click", function () {
            load().catch(function () {});
        });
    }

    document.querySelectorAll("[data-awards-voting]").forEach(setup);
})();
