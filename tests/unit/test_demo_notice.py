"""The demo reads the published 2021 notice into structured fields."""

import datetime as dt

from example_site.demo.notice import load_notice_2021, parse_notice


def test_the_2021_notice_is_read_into_its_parts():
    notice = load_notice_2021()
    assert notice.issuer == "江苏省教育科技工会"
    assert notice.title == "关于开展2021年度全省教科系统基层工会服务教职工优质项目申报工作的通知"
    assert [name for name, _ in notice.themes] == ["学悟守正", "举旗育人", "建功立业", "暖心聚力", "强基固本"]
    assert notice.criteria == ["实效性", "创新创优性", "可持续性", "可推广性"]
    assert notice.city_quota == (2, 3)
    assert notice.university_quota == (1, 2)
    assert notice.deadline == dt.date(2021, 10, 19)
    assert (notice.contact_name, notice.contact_phone) == ("李雅君", "025-83536268")
    assert notice.conditions[-1] == "往年已获评项目不再参评。"
    assert notice.attachment_title == "江苏教科工会服务网申报系统操作流程"
    assert "在线申报" in notice.attachment_text


def test_a_page_break_inside_a_sentence_is_joined():
    notice = load_notice_2021()
    review = next(items for heading, items in notice.sections if "评审" in heading)
    assert any("根据项目的实效性" in item for item in review)


def test_parse_notice_uses_the_numbers_it_finds():
    text = (
        "某工会\n\n关于某某的通知\n\n各单位：\n\n一、申报\n\n"
        "择优推荐4-5个（由各市统一填报）。截止时间是2030年1月2日。\n"
    )
    notice = parse_notice(text)
    assert notice.city_quota == (4, 5)
    assert notice.deadline == dt.date(2030, 1, 2)
