"""Build the operation guide of this site (操作指南, a PDF) from screenshots of its real screens.

    make guide                      # or: .venv/bin/python docs/guide/build_guide.py

The script loads the demo into a database of its own (a temporary SQLite file), serves it with ``runserver`` on a
free port, walks through the round as each person does in Debian's chromium (Playwright), takes a screenshot of each
screen, lays the screenshots out with the Chinese text below on A4 pages and prints them to PDF with the same
chromium. The result replaces ``example_site/demo/data/operation-guide.pdf``, which the demo attaches to every call.
It needs a CJK font (Debian's ``fonts-noto-cjk``, which ``make guide`` installs).
"""

import base64
import html
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "example_site" / "demo" / "data" / "operation-guide.pdf"
CHROMIUM = os.environ.get("WAGTAIL_AWARDS_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "awards-demo"
TITLE = "服务教职工优质项目网上申报操作指南"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(var_dir, port):
    env = {**os.environ, "WAGTAIL_AWARDS_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "example_site.settings.dev"}
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "example_site" / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load_awards_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the demo server did not start")


class Camera:
    """One browser context per person; each shot is a JPEG kept in memory."""

    def __init__(self, browser, base):
        self.browser, self.base, self.people = browser, base, {}

    def person(self, who, *, phone=False):
        key = (who, phone)
        if key not in self.people:
            viewport = {"width": 390, "height": 760} if phone else {"width": 1100, "height": 720}
            context = self.browser.new_context(
                locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport, is_mobile=phone, device_scale_factor=1
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            if who in ("applicant", "voter"):
                page.goto(self.base + "/awards/accounts/login/")
                page.fill("#id_username", who)
                page.fill("#id_password", PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_load_state()
            elif who:
                page.goto(self.base + "/admin/login/")
                page.fill("#id_username", who)
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state()
            self.people[key] = page
        return self.people[key]

    def shot(self, who, path, *, phone=False, full=False, prepare=None):
        page = self.person(who, phone=phone)
        page.goto(self.base + path)
        page.wait_for_load_state("networkidle")
        if prepare:
            prepare(page)
        image = page.screenshot(type="jpeg", quality=62, full_page=full)
        return base64.b64encode(image).decode()


def sections(camera, data):
    """The guide's sections, each with the screenshot of its screen."""
    open_call, vote, publicity = data["open"], data["vote"], data["publicity"]
    yield (
        "一、概述",
        [
            (
                "本网站做什么",
                None,
                "省教科工会在本网站发布评选通知；基层工会在线申报；设区市教育工会和高校、科研院所工会初审推荐；"
                "评审专家在线评分；教职工网络投票；拟获评项目在网站公示，接受异议；公示期满后发布名单并奖补。"
                "申报单位在网站前台操作；初审推荐、专家评审和省教科工会的工作在管理后台（网址后加 /admin/）完成。",
            ),
            (
                "评选通知",
                camera.shot(None, open_call, full=False),
                "首页列出各年度评选通知。通知页载明项目内容、评选条件、推荐名额、评审标准、奖项与奖补、截止时间和联系人，"
                "并以时间轴标出当前阶段；申报截止前显示倒计时。",
            ),
        ],
    )
    yield (
        "二、申报单位：在线申报",
        [
            (
                "注册与登录",
                camera.shot(None, "/awards/accounts/login/"),
                "点击页面右上角“登录”。首次使用请点击“注册”，填写电子邮箱（即登录名）、姓名和密码，回答验证问题，"
                "可同时申请加入本单位；打开确认邮件中的链接后账号即可使用。加入单位的申请由所属设区市教育工会或高校、"
                "科研院所工会（或省教科工会）在后台审核通过后，方可在线申报。",
            ),
            (
                "填写申报表",
                camera.shot("applicant", open_call + "apply/", full=True),
                "在评选通知页点击“在线申报”。审核单位填省教育科技工会委员会，归口业务部门填本单位负责部门，"
                "申报单位名称填学校或科研院所工会名称；填写项目名称、项目内容及其他各项，上传《申报书》等材料"
                "（PDF、Word 或图片），勾选材料真实合法的声明。可先“保存草稿”，以后再来修改。",
            ),
            (
                "提交与回执",
                camera.shot("applicant", data["submitted"]),
                "材料齐全后点击“在线申报”提交。提交后获得申报编号，并收到回执邮件；逾期或材料不全的申报不能提交，"
                "页面会说明原因，已填内容不会丢失。",
            ),
            (
                "我的申报与撤回",
                camera.shot("applicant", "/awards/applications/", phone=True),
                "“我的申报”列出本单位各年度的申报、编号和状态。截止时间前可撤回已提交的申报，修改后再次提交，"
                "撤回前会请您确认；申报编号保持不变。",
            ),
        ],
    )
    yield (
        "三、初审推荐（设区市教育工会，高校、科研院所工会）",
        [
            (
                "初审推荐",
                camera.shot("recommender", f"/admin/awards/review/recommend/?call={data['review_pk']}", full=True),
                "登录管理后台，打开“评审 → 初审推荐”，逐个项目选择推荐或不推荐，填写推荐顺序和意见后保存。"
                "页面上方显示已推荐数和名额（设区市 2–3 个，高校、科研院所 1–2 个），超出名额的推荐不予保存。",
            ),
            (
                "提交推荐名单",
                None,
                "推荐完成后点击“提交名单”，确认页列出推荐的项目；确认提交后名单锁定，不能再修改，如需更改请联系省教科工会解锁。",
            ),
        ],
    )
    yield (
        "四、专家评审",
        [
            (
                "评分表",
                camera.shot("reviewer", "/admin/awards/review/scores/", full=True),
                "评审专家登录管理后台，打开“评审 → 专家评审”，即进入本人有评审任务的评选。表格每行一个项目，"
                "各评审标准为一列，可连续填写多个项目后一次保存；申报材料在“申报材料”一栏，点击即可下载。",
            ),
            (
                "逐个评分",
                camera.shot("reviewer", data["score_url"], full=True),
                "点击“评分”可逐个项目评分，页面列出评审标准的说明和申报材料；“保存并评下一个项目”转到下一个待评项目。",
            ),
        ],
    )
    yield (
        "五、省教科工会：分配评审、排名与奖项、公示与奖补",
        [
            (
                "分配评审专家",
                camera.shot("province", f"/admin/awards/review/assignments/?call={data['review_pk']}"),
                "“评审 → 分配评审专家”可逐个指定评审专家，或按每个项目的专家人数自动分配；"
                "专家不评审本单位和本推荐单位的项目。",
            ),
            (
                "排名与奖项",
                camera.shot("province", f"/admin/awards/review/ranking/?call={data['review_pk']}&suggest=1"),
                "“排名与奖项”按加权总分排名，标出并列；“按排名建议”在各奖项名额内填入奖项，保存后确认。",
            ),
            (
                "异议与撤销",
                camera.shot("province", "/admin/wagtail_awards/objection/"),
                "公示期间收到的异议在“公示与结果 → 异议”中处理：查看异议内容和证明材料，填写核查结论和答复。"
                "项目存在虚假、错报、内容不实等情况的，在“获评名单”中撤销其奖项并注明理由。",
            ),
            (
                "奖补",
                camera.shot("province", f"/admin/wagtail_awards/subsidies/?call={data['publicity_pk']}"),
                "“奖补”列出每个项目的奖补金额和合计，可下载 XLSX。同时获得奖项和“最受教职工欢迎项目”的，"
                "按最高标准奖补；获省总工会奖补的项目不再奖补。",
            ),
        ],
    )
    yield (
        "六、网络投票与公示",
        [
            (
                "网络投票",
                camera.shot("voter", vote, phone=True),
                "投票期间，用已验证邮箱的账号登录（或输入单位发放的投票码）后，在投票页回答验证问题，再点击所选项目的“投票”。每人每天可投有限票数，每个项目每天一票；"
                "投票成功后，该项目卡片上显示“感谢参与”。投票结束后按票数排列。",
            ),
            (
                "公示与异议",
                camera.shot(None, publicity, phone=True),
                "公示页列出拟获评项目，显示公示期（5个工作日，按法定节假日和调休计算）和剩余时间。"
                "对公示项目有异议的，可在公示期内填写异议并上传证明材料；提交后页面确认已收到。",
            ),
        ],
    )
    yield (
        "七、编辑：发布通知与下一年度评选",
        [
            (
                "以此为模板创建下一年度评选",
                camera.shot("editor", f"/admin/awards/rounds/{data['open_pk']}/next/"),
                "在页面管理中打开本年度的评选通知，点击页面标题旁的“…”菜单，选择“以此为模板创建下一年度评选”。"
                "填写年度后，通知及其申报页、投票页、公示页复制为新一年度的草稿：日期顺延一年（可保持星期几不变），"
                "标题和网址按年度生成，投票页指向新评选，申报表单、评审标准、名额和奖项一并带入。",
            ),
            (
                "核对并发布",
                None,
                "核对页列出每个日期及其新旧对照，标出星期几变化、非工作日和推定日历的日期，并列出仍写有旧年份的文字，"
                "点击即可修改；核对无误后勾选确认，点击“发布新一年度评选”。若某年的法定节假日安排尚未收录，"
                "请在“评优 → 工作日调整”中录入，公示期即按此计算。",
            ),
        ],
    )


def demo_facts():
    """Addresses of the demo's screens, read from the demo database through Django."""
    import django

    django.setup()
    from wagtail_awards.models import Application, CallPage, PublicityPage, ReviewAssignment, VotingPage

    open_call = CallPage.objects.filter(slug__regex=r"^\d{4}$").order_by("-year").first()
    review = CallPage.objects.get(slug__startswith="review-")
    vote = VotingPage.objects.child_of(CallPage.objects.get(slug__startswith="vote-")).first()
    publicity = PublicityPage.objects.child_of(CallPage.objects.get(slug__startswith="publicity-")).first()
    submitted = Application.objects.filter(applicant__username="applicant", call=open_call, status="submitted").first()
    assignment = ReviewAssignment.objects.filter(reviewer__username="reviewer", application__call=review).first()
    return {
        "open": open_call.url,
        "open_pk": open_call.pk,
        "review_pk": review.pk,
        "vote": vote.url,
        "publicity": publicity.url,
        "publicity_pk": publicity.get_parent().pk,
        "submitted": f"/awards/applications/{submitted.pk}/",
        "score_url": f"/admin/awards/review/scores/{assignment.pk}/",
    }


STYLE = """
@page { size: A4; margin: 16mm 15mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; font-size: 10.5pt; line-height: 1.65; color: #222; }
h1 { font-size: 22pt; margin: 40mm 0 6mm; color: #a31f24; }
h2 { font-size: 15pt; margin: 0 0 4mm; padding-bottom: 1mm; border-bottom: 2px solid #a31f24; break-before: page; }
h3 { font-size: 12pt; margin: 6mm 0 2mm; }
section.part { break-inside: avoid; }
img { display: block; max-width: 100%; max-height: 150mm; margin: 2mm auto; border: 1px solid #ccc; }
img.phone { max-height: 170mm; }
.cover p { font-size: 11pt; color: #555; }
ol.toc { font-size: 12pt; }
"""


def render(chapters):
    parts = [
        f"<!doctype html><html lang='zh-hans'><head><meta charset='utf-8'><title>{TITLE}</title>"
        f"<style>{STYLE}</style></head><body>",
        f"<div class='cover'><h1>{TITLE}</h1><p>江苏省教育科技工会 · 服务教职工优质项目评选</p>"
        "<p>本指南的截图均取自本网站。</p><ol class='toc'>",
    ]
    parts += [f"<li>{html.escape(title[2:])}</li>" for title, _sections in chapters]
    parts.append("</ol></div>")
    for title, items in chapters:
        parts.append(f"<h2>{html.escape(title)}</h2>")
        for heading, image, text in items:
            parts.append(f"<section class='part'><h3>{html.escape(heading)}</h3>")
            if image:
                parts.append(f"<img src='data:image/jpeg;base64,{image}' alt='{html.escape(heading)}'>")
            parts.append(f"<p>{html.escape(text)}</p></section>")
    parts.append("</body></html>")
    return "".join(parts)


def main():
    from playwright.sync_api import sync_playwright

    if not subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip():
        raise SystemExit("no Chinese font: install Debian's fonts-noto-cjk (`make guide` does)")
    with tempfile.TemporaryDirectory(prefix="awards-guide-") as var_dir:
        port = free_port()
        server = serve(Path(var_dir), port)
        try:
            os.environ["WAGTAIL_AWARDS_VAR_DIR"] = var_dir
            os.environ["DJANGO_SETTINGS_MODULE"] = "example_site.settings.dev"
            os.environ.pop("DATABASE_URL", None)
            sys.path.insert(0, str(ROOT))
            base = f"http://127.0.0.1:{port}"
            facts = demo_facts()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                chapters = list(sections(Camera(browser, base), facts))
                printer = browser.new_page()
                printer.set_content(render(chapters), wait_until="load")
                OUTPUT.write_bytes(printer.pdf(format="A4", print_background=True, prefer_css_page_size=True))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
