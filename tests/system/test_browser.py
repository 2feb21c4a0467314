"""Real headless Chromium against the live server: pages render their key facts and are not blank."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]
PAGES = [
    ("home", "/", ["Visits received by the Presidential Library", "Visits per year", "Latest visits"]),
    ("visit", "/id/visit/2018-02-28-graham-wilson", ["Graham Wilson", "28 February 2018", "Mayil Ahmadov"]),
    (
        "person",
        "/id/person/svetlana-gorokhova",
        ["Svetlana Gorokhova", "Director of International Activities", "24 January 2020"],
    ),
]


def chromium(args: list[str], profile: Path, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """Run headless Chromium once with a throwaway profile."""
    assert CHROMIUM is not None
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)


def png_pixels(data: bytes) -> tuple[int, int, set[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG (no interlace) and return width, height and its distinct colours."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, depth, ctype = 8, b"", 0, 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and ctype in (2, 6), f"unexpected PNG type depth={depth} colour={ctype}"
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    prev, colours, i = bytearray(stride), set(), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        colours.update(bytes(line[x : x + 3]) for x in range(0, stride, bpp * 7))
        prev = line
    return width, height, colours


@pytest.fixture(scope="module")
def browser() -> str:
    if CHROMIUM is None:
        pytest.skip("chromium is not on PATH (Debian package `chromium`; ./run test installs it)")
    return CHROMIUM


@pytest.mark.parametrize(("name", "path", "facts"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_key_facts_in_chromium(
    browser: str, live_server: LiveServer, tmp_path: Path, name: str, path: str, facts: list[str]
) -> None:
    result = chromium(["--dump-dom", live_server.url + path], tmp_path / "profile-dom")
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    soup = BeautifulSoup(result.stdout, "html.parser")
    text = soup.get_text(" ", strip=True)
    for fact in facts:
        assert fact in text, f"{fact!r} not rendered on {path}"
    assert soup.find("main") is not None and soup.find("h1") is not None
    assert soup.find("script", type="application/ld+json") is not None


@pytest.mark.parametrize(("name", "path", "facts"), PAGES, ids=[p[0] for p in PAGES])
def test_page_screenshot_is_not_blank(
    browser: str, live_server: LiveServer, tmp_path: Path, name: str, path: str, facts: list[str]
) -> None:
    shot = tmp_path / f"{name}.png"
    result = chromium(
        [f"--screenshot={shot}", "--window-size=1280,1600", live_server.url + path], tmp_path / "profile-shot"
    )
    assert result.returncode == 0 and shot.exists(), result.stderr.decode(errors="replace")[-2000:]
    data = shot.read_bytes()
    assert len(data) > 10_000, "a rendered page compresses to more than a few KB"
    width, height, colours = png_pixels(data)
    assert (width, height) == (1280, 1600)
    assert len(colours) > 8, f"only {len(colours)} colours: the page looks blank"
