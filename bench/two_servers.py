"""The site on two app servers at once: nothing lost, nothing counted twice, whichever server a request reaches.

    DATABASE_URL=postgres://user:pw@127.0.0.1:5432/awards_servers .venv/bin/python bench/two_servers.py [--quick]

Starts Debian's ``redis-server`` (installed with apt-get when missing) on a port of its own and two gunicorn
servers of the example site (``bench.settings``: the production settings) on two ports, over one PostgreSQL
database (emptied, migrated, demo loaded) and one shared private file directory. Requests go to the two servers
in turn, each conversation starting on one server and going on at the other:

- logins: the log-in form from one server, the credentials to the other; the session then opens the applicant's
  pages on both;
- votes: the question from one server, the vote to the other; accepted = stored = tallied = shown on both;
- one solved question sent to both servers at the same moment: accepted once;
- the per-address vote limit: counted across both servers (past it, both answer 429);
- a voting code entered at one server votes at the other;
- applications with files: the form from one server, the draft with its file to the other, the file downloaded
  from both, byte for byte;
- objections with evidence: the question from one server, the objection to the other; every one stored, its file
  downloadable by the province administrator from both.

Prints each check and exits non-zero when one fails. ``--quick`` (CI) sends fewer requests.
"""

import argparse
import html.parser
import io
import json
import os
import re
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import serving

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ports", type=int, nargs=2, default=(8771, 8772))
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--quick", action="store_true", help="fewer requests (CI)")
    return parser.parse_args()


class Failures(list):
    def check(self, ok, message):
        print(("  ok   " if ok else "  FAIL ") + message, flush=True)
        if not ok:
            self.append(message)


class FormParser(html.parser.HTMLParser):
    """The fields of the forms of a page: ``forms`` is a list of dicts with ``action`` and ``fields``."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": [], "attrs": attrs})
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name"):
            self.forms[-1]["fields"].append(("input", attrs))
        elif tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "options": []}
            self.forms[-1]["fields"].append(("select", self._select))
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))
        elif tag == "textarea" and attrs.get("name"):
            self.forms[-1]["fields"].append(("textarea", attrs))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(page_html):
    parser = FormParser()
    parser.feed(page_html)
    return parser.forms


def captcha_answer(key):
    from captcha.models import CaptchaStore

    return CaptchaStore.objects.filter(hashkey=key).values_list("response", flat=True).first() or ""


def fill(form, *, text="两台服务器测试"):
    """Values for every field of ``form`` (a solved captcha when there is one) and the files to upload."""
    fields, files = {}, {}
    for kind, attrs in form["fields"]:
        name = attrs["name"]
        if kind == "select":
            fields[name] = next((value for value in attrs["options"] if value), "")
        elif kind == "textarea":
            fields[name] = text
        elif attrs.get("type") == "file":
            files[name] = ("证据.pdf", PDF)
        elif attrs.get("type") in ("checkbox", "radio"):
            fields.setdefault(name, attrs.get("value", "on"))
        elif attrs.get("type") == "hidden":
            fields[name] = attrs.get("value", "")
        elif attrs.get("type") == "submit":
            continue
        elif attrs.get("type") == "number":
            fields[name] = "1"
        elif attrs.get("type") == "date":
            fields[name] = "2026-01-01"
        elif attrs.get("type") == "email":
            fields[name] = "teacher@example.org"
        else:
            fields[name] = text
    if "captcha_0" in fields:
        fields["captcha_1"] = captcha_answer(fields["captcha_0"])
    return fields, files


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        parts.append(head + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


class Browser:
    """One person's cookies, used on either server."""

    def __init__(self):
        self.cookies = {}

    def go(self, port, method, path, **kwargs):
        response = serving.request(port, method, path, cookies=self.cookies, **kwargs)
        self.cookies.update(response.cookies())
        return response


def log_in(browser, username, first, second):
    """The log-in form from ``first``, the credentials to ``second``; returns the answer."""
    page = browser.go(first, "GET", "/awards/accounts/login/")
    form = next(f for f in forms_of(page.text()) if any(a.get("name") == "password" for _k, a in f["fields"]))
    fields, _files = fill(form)
    fields.update(username=username, password="awards-demo")
    return browser.go(second, "POST", "/awards/accounts/login/", fields=fields)


def check_logins(ports, failures):
    a, b = ports
    browser = Browser()
    answer = log_in(browser, "applicant", a, b)
    failures.check(answer.status == 302, f"a log-in form from :{a} is accepted by :{b} ({answer.status})")
    for port in ports:
        page = browser.go(port, "GET", "/awards/applications/")
        failures.check(
            page.status == 200 and "/awards/accounts/logout/" in page.text(),
            f"the session opens 'my applications' on :{port}, signed in ({page.status})",
        )
    return browser


def check_applications(ports, browser, failures):
    from wagtail_awards.models import ApplicationFile, ApplicationFormPage

    a, b = ports
    form_page = next(
        p for p in ApplicationFormPage.objects.live() if p.call.application_state() in ("open", "closing_soon")
    )
    page = browser.go(a, "GET", form_page.url)
    form = next(f for f in forms_of(page.text()) if "application-form" in f["attrs"].get("class", ""))
    fields, files = fill(form)
    fields["action"] = "save"
    body, headers = multipart(fields, files)
    before = ApplicationFile.objects.count()
    saved = browser.go(b, "POST", form["action"], body=body, headers=headers)
    stored = ApplicationFile.objects.order_by("-pk").first()
    failures.check(
        saved.status == 302 and ApplicationFile.objects.count() == before + len(files) and stored is not None,
        f"an application form from :{a} is saved with {len(files)} file(s) through :{b} ({saved.status})",
    )
    if stored is None:
        return
    for port in ports:
        download = browser.go(port, "GET", f"/awards/files/{stored.pk}/")
        failures.check(download.status == 200 and download.body == PDF, f"its file is downloaded from :{port}")


def check_votes(ports, count, failures):
    """``count`` votes by signed-in voters, each asking its question at one server and voting at the other."""
    from wagtail_awards.models import Application, CallPage, Vote, VotingPage
    from wagtail_awards.services import voting

    call = CallPage.objects.filter(slug__startswith="vote-").order_by("-year").first()
    page = VotingPage.objects.child_of(call).first()
    candidates = list(Application.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
    voters = serving.verified_voters((count + 2) // 3, prefix="two-servers")
    cookies = [dict([serving.session_cookie(user).split("=", 1)]) for user in voters]
    before = Vote.objects.filter(call=call).count()
    accepted = 0
    for n in range(count):
        asked, voted = ports[n % 2], ports[(n + 1) % 2]
        browser = Browser()
        browser.cookies.update(cookies[n // 3])
        challenge = browser.go(asked, "GET", "/awards/vote/challenge/").text()
        data = json.loads(challenge)
        candidate = candidates[(n // 3 + n % 3) % len(candidates)]
        answer = browser.go(
            voted,
            "POST",
            f"/awards/vote/{call.pk}/{candidate}/",
            fields={
                "captcha_0": data["key"],
                "captcha_1": captcha_answer(data["key"]),
                "csrfmiddlewaretoken": data["csrf"],
                "next": page.url,
            },
        )
        accepted += answer.status == 303
    stored = Vote.objects.filter(call=call).count() - before
    tallied = sum(voting.tallies(call=call).values()) - before
    shown = [
        sum(
            int(n)
            for n in re.findall(r'data-vote-count="(\d+)"', serving.request(port, "GET", f"{page.url}?voted=0").text())
        )
        - before
        for port in ports
    ]
    failures.check(
        accepted == count == stored == tallied == shown[0] == shown[1],
        f"{count} votes, questions and votes on alternate servers: accepted {accepted}, stored {stored}, "
        f"tallied {tallied}, shown {shown[0]} and {shown[1]}",
    )
    return call, page, candidates, cookies


def solved_question(browser, port):
    """A question from the vote endpoint of ``port`` (bound to the browser's visitor) and its answer."""
    data = json.loads(browser.go(port, "GET", "/awards/vote/challenge/").text())
    if "key" not in data:
        raise RuntimeError(f"no question from :{port}: {data}")
    return data["key"], captcha_answer(data["key"]), data["csrf"]


def check_captcha_once(ports, call, page, candidates, cookies, failures):
    """One solved question sent to both servers at the same moment, for two candidates: one vote."""
    browser = Browser()
    browser.cookies.update(
        dict([serving.session_cookie(serving.verified_voters(1, prefix="two-servers-once")[0]).split("=", 1)])
    )
    key, answer, token = solved_question(browser, ports[0])
    statuses, barrier = [], threading.Barrier(2)

    def send(port, candidate):
        barrier.wait()
        response = serving.request(
            port,
            "POST",
            f"/awards/vote/{call.pk}/{candidate}/",
            cookies=browser.cookies,
            fields={"captcha_0": key, "captcha_1": answer, "csrfmiddlewaretoken": token, "next": page.url},
        )
        statuses.append(response.status)

    jobs = [threading.Thread(target=send, args=(port, candidates[n])) for n, port in enumerate(ports)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    failures.check(sorted(statuses) == [303, 400], f"one solved question sent to both servers at once: {statuses}")


def check_rate_limit(ports, limit, failures):
    """New questions from one address, asked of both servers in turn: the address's budget (twice the vote limit
    per window, counted in the shared cache) runs out once for both, not once per server."""
    budget = 2 * limit
    browser = Browser()
    browser.cookies.update(
        dict([serving.session_cookie(serving.verified_voters(1, prefix="two-servers-limit")[0]).split("=", 1)])
    )
    issued = 0
    for n in range(2 * budget + 2):
        if browser.go(ports[n % 2], "GET", "/awards/vote/challenge/").status == 429:
            break
        issued += 1
    after = [browser.go(port, "GET", "/awards/vote/challenge/").status for port in (*ports, *ports)]
    failures.check(
        0 < issued <= budget and after == [429] * 4,
        f"one address's budget of {budget} questions holds across both servers: {issued} more issued, then {after}",
    )


def check_voting_code(ports, failures):
    """A demo voting code entered at one server votes at the other (the signed cookie holds on both)."""
    from example_site.demo.voting_round import DEMO_CODES
    from wagtail_awards.models import Application, CallPage, Vote

    a, b = ports
    call = CallPage.objects.filter(slug__startswith="vote-").order_by("-year").first()
    candidate = Application.objects.filter(call=call, status="scored").order_by("-pk").first()
    browser = Browser()
    form = next(f for f in forms_of(browser.go(a, "GET", "/awards/vote/code/").text()) if f["action"])
    fields, _files = fill(form)
    fields["code"] = DEMO_CODES[-1]
    entered = browser.go(b, "POST", form["action"], fields=fields)
    challenge = json.loads(browser.go(b, "GET", "/awards/vote/challenge/").text())
    voted = browser.go(
        a,
        "POST",
        f"/awards/vote/{call.pk}/{candidate.pk}/",
        fields={
            "captcha_0": challenge["key"],
            "captcha_1": captcha_answer(challenge["key"]),
            "csrfmiddlewaretoken": challenge["csrf"],
        },
    )
    failures.check(
        entered.status == 303 and voted.status == 303 and Vote.objects.filter(voter_key__startswith="c:").count() == 1,
        f"a voting code entered at :{b} votes at :{a} ({entered.status}, {voted.status})",
    )


def check_objections(ports, count, failures):
    from wagtail_awards.models import CallPage, Objection, PublicityPage

    call = CallPage.objects.filter(slug__startswith="publicity-").order_by("-year").first()
    page = PublicityPage.objects.child_of(call).first()
    before = Objection.objects.count()
    accepted = 0
    for n in range(count):
        asked, filed = ports[n % 2], ports[(n + 1) % 2]
        browser = Browser()
        html_page = browser.go(asked, "GET", page.url).text()
        form = next(f for f in forms_of(html_page) if "data-objection-form" in f["attrs"])
        fields, files = fill(form, text=f"两台服务器测试异议 {n}")
        challenge = json.loads(browser.go(asked, "GET", "/awards/objection/challenge/").text())
        fields.update(
            captcha_0=challenge["key"],
            captcha_1=captcha_answer(challenge["key"]),
            csrfmiddlewaretoken=challenge["csrf"],
        )
        fields["contact"] = "13800000000"
        # One address objects to one project a limited number of times (OBJECTION_PROJECT_LIMIT): take turns.
        projects = next(a["options"] for kind, a in form["fields"] if kind == "select" and a["name"] == "application")
        projects = [value for value in projects if value]
        fields["application"] = projects[n % len(projects)]
        body, headers = multipart(fields, files)
        answer = browser.go(filed, "POST", form["action"], body=body, headers=headers)
        accepted += answer.status == 302
    stored = Objection.objects.count() - before
    failures.check(
        accepted == stored == count,
        f"{count} objections with a file, question and objection on alternate servers: "
        f"accepted {accepted}, stored {stored}",
    )
    objection = Objection.objects.exclude(file="").order_by("-pk").first()
    admin = Browser()
    log_in(admin, "province", ports[0], ports[1])
    for port in ports:
        download = admin.go(port, "GET", f"/admin/wagtail_awards/objection/{objection.pk}/file/")
        failures.check(download.status == 200 and download.body == PDF, f"the evidence is downloaded from :{port}")


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="awards-two-servers-"))
    # One private file directory for both servers (on several machines: a shared mount or S3, see the README).
    os.environ["WAGTAIL_AWARDS_VAR_DIR"] = str(workdir)
    os.environ["REDIS_URL"] = f"redis://{serving.HOST}:{args.redis_port}/0"
    votes = 12 if args.quick else 120
    # Votes per voter and address; new questions per address: twice that (the checks ask fewer before the last one).
    limit = votes + 20
    os.environ["VOTE_IP_LIMIT"] = str(limit)
    redis_server = serving.start_redis(args.redis_port, workdir)
    servers = []
    failures = Failures()
    try:
        serving.setup_django()
        from django.core.management import call_command

        print("Preparing the database (demo) …", flush=True)
        serving.reset_database()
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_awards_demo", verbosity=0, stdout=io.StringIO())
        voters = {"WAGTAIL_AWARDS_VOTERS": "verified_account,voting_code"}
        servers = [serving.start_gunicorn(port, workers=args.workers, env=voters) for port in args.ports]
        print(f"Two servers on :{args.ports[0]} and :{args.ports[1]}, Redis on :{args.redis_port}", flush=True)
        browser = check_logins(args.ports, failures)
        check_applications(args.ports, browser, failures)
        call, page, candidates, cookies = check_votes(args.ports, votes, failures)
        check_captcha_once(args.ports, call, page, candidates, cookies, failures)
        check_voting_code(args.ports, failures)
        check_objections(args.ports, 4 if args.quick else 6, failures)
        check_rate_limit(args.ports, limit, failures)  # last: it uses up the address's questions
    finally:
        for server in servers:
            serving.stop(server)
        serving.stop(redis_server)
    print("two servers:", "OK" if not failures else f"{len(failures)} check(s) failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
