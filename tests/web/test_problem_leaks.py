"""Nothing of a confidential problem's text reaches the public: every page linked from the front page, every
download (PDF through pdftotext, CSV, JSON, the unzipped open data) and every API answer about the team is read
for its title and analysis. Its category and stage are there; and a public problem's title is found on the public
pages and in the API (a positive control: the crawl does reach what it looks for)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from urllib.parse import urlsplit

from tests.story import tell_long_story

SECRETS = ("Мектепте акча талап кылуу", "Айгерим Бекова", "9-класстын балдары")
PUBLIC_TITLE = "Көчөлөр караңгы"


def readable(answer) -> str:
    """What a reader gets from an answer, as text: a PDF's text, each file of a zip, or the body."""
    body = answer.get_data()
    if answer.mimetype == "application/pdf":
        return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
    if answer.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(as_text(archive.read(name), name) for name in archive.namelist())
    return as_text(body, answer.mimetype)


def as_text(body: bytes, kind: str) -> str:
    """JSON with its escapes undone (\\u0430 is а), so a search sees the words a reader would."""
    text = body.decode("utf-8", errors="replace")
    if kind.endswith("json"):
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def crawl(client, start: str, limit: int = 400) -> dict[str, str]:
    """Every page and download of this site linked from `start`, as the public reads it."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        answer = client.get(url)
        seen[url] = readable(answer) if answer.status_code == 200 else ""
        if answer.mimetype == "text/html":
            for link in re.findall(r'href="([^"#]+)"', seen[url]):
                target = urlsplit(link)
                if not target.netloc and target.path.startswith("/") and not target.path.startswith("/static/"):
                    queue.append(link.replace("&amp;", "&"))
    return seen


def test_a_confidential_problems_text_reaches_no_public_page_download_or_api_answer(web, services):
    # given a year of the team's life: a public problem, and a confidential one whose analysis names its victim
    story = tell_long_story(services.app)
    client = web.test_client()
    # when the public site is crawled from the front page, and the team's API answers are read
    pages = crawl(client, "/")
    team = story.team_id
    api = {
        url: readable(client.get(url))
        for url in (f"/api/v1/teams/{team}", f"/api/v1/teams/{team}/report", f"/api/v1/teams/{team}/problems")
    }
    problems = client.get(f"/api/v1/teams/{team}/problems").get_json()["problems"]
    api |= {f"/api/v1/problems/{p['id']}": readable(client.get(f"/api/v1/problems/{p['id']}")) for p in problems}
    everything = pages | api
    # then the crawl reached the problems, the reports and the open data
    assert f"/teams/{team}/problems" in pages and any(url.startswith("/problems/") for url in pages)
    assert any(url.endswith("report.pdf") for url in pages) and "/open-data/download" in pages
    problem_pdfs = {url: text for url, text in pages.items() if url.startswith("/problems/") and url.endswith(".pdf")}
    assert len(problem_pdfs) == 2 and any(url.startswith("/dashboard?country=KG&region=") for url in pages)
    # and no secret is anywhere
    leaks = [(secret, url) for url, text in everything.items() for secret in SECRETS if secret in text]
    assert leaks == []
    # while its category and stage are told, and the public problem's title is found (the crawl sees text)
    board = pages[f"/teams/{team}/problems"]
    assert "Extortion in schools" in board and "Analysis" in board and PUBLIC_TITLE in board
    school = next(p for p in problems if p["category"] == "extortion_in_schools")
    assert (school["stage"], school["title"]) == ("analysis", None)
    assert PUBLIC_TITLE in api[f"/api/v1/teams/{team}/problems"]
    assert [PUBLIC_TITLE in text for text in problem_pdfs.values()].count(True) == 1  # the public one's PDF
    assert all("Extortion in schools" in text or PUBLIC_TITLE in text for text in problem_pdfs.values())
    for download in (f"/teams/{team}/problems.csv", "/open-data/download"):  # the CSV, and the unzipped open data
        assert PUBLIC_TITLE in pages[download] and "extortion_in_schools" in pages[download], download
