"""The README is executable: its examples run in order against one fresh demo shop (the `make run`
seed), and the answers it shows are asserted. DEVELOPERS.md ("README examples") has the rules.

A fenced block is an example by its language:

- `graphql`: one operation, POSTed to the shop. It must answer without `errors`, and every
  `user_errors` in the answer must be empty, unless its directives say otherwise.
- `sh`: a bash script (`set -euo pipefail`) in a scratch directory, with `.venv/bin` first on
  PATH (what activating the venv does), `MAGESEG_DATABASE_URL` set to the shop's database and
  `127.0.0.1:8080` / `localhost:8080` replaced by the shop's address. It must exit 0.
- `console`: `$ command` lines (a trailing `\\` continues one) run as `sh` blocks do; the lines
  after a command are its expected output, where `...` matches any text within a line.
- `json`: data, checked per its directives (`answer` or `file: NAME`).
- `csv`: a file (`file: NAME`) for a later shell example.

Other languages (`text`, `python`, none) are illustrations and never run. An example opts out
with a `skip: <why>` directive.

Directives sit in an HTML comment (invisible on GitHub) right before the block, one per line:

    <!-- readme-test
    as: customer
    save: <masked cart id> = createEmptyCart
    expect: createEmptyCart ~ ...
    -->

- `as: admin | customer | guest | <placeholder>`: the bearer token. Default: admin when a root
  field starts with `admin` (the naming rule), else guest. `customer` is `<customer token>`.
- `store: CODE`: the `Store` header.
- `save: <name> = PATH`: keep a value of the answer (a dotted path into `data`, list indexes as
  numbers; for `sh`/`console`, `stdout` is the last line printed) for later examples. In
  `graphql` blocks `<name>` is replaced by the value, in `sh`/`console` blocks `$NAME` (the name
  upper-cased, other characters as `_`: `<masked cart id>` is `$MASKED_CART_ID`).
- `expect: PATH = JSON`: the value at PATH equals JSON exactly.
- `refused`: the answer has errors or user_errors (assert them with `expect`).
- `retry: SECONDS`: re-send until the checks pass (background work such as a segment refresh).
- `answer` (on a `json` block): the previous GraphQL example's `data` contains it (objects
  need only the keys shown; lists and values must be equal).
- `file: NAME` (on a `json` block): each JSON value of the block is written, one per line, to
  NAME in the scratch directory (JSON Lines shown over several lines for reading).

Preset placeholders: `<admin token>` (the demo admin token `make run` prints).

One test, on purpose: the examples build on each other, as a reader's session does, and share one
seeded shop (200 customers); it takes some 35 s, most of it the shell examples' `mageseg`
processes. It reports every failing example, first failure first.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from graphql import OperationDefinitionNode, parse

from engine.passwords import PasswordHasher
from mageseg.app import create_app
from mageseg.cli import demo_admin_token
from mageseg.settings import Settings
from seeds.loader import DEMO_SIZE, demo_credentials, load
from tests.conftest import REDIS_URL

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
RUN = {"graphql", "sh", "console", "json", "csv"}
DIRECTIVE = re.compile(r"^(as|store|save|expect|refused|retry|answer|file|skip)\b:?\s*(.*)$")
PLACEHOLDER = re.compile(r"<([a-z][a-z0-9 _-]*)>")


@dataclass
class Example:
    line: int  # of the opening fence, 1-based
    language: str
    text: str
    directives: list[tuple[str, str]] = field(default_factory=list)

    def get(self, key: str) -> list[str]:
        return [value for name, value in self.directives if name == key]

    def where(self) -> str:
        return f"README.md line {self.line} ({self.language})"


def examples(markdown: str) -> Iterator[Example]:
    """Every fenced block with its directives (from a `<!-- readme-test ... -->` comment that
    ends on the line before the fence, or the one before that when it is blank)."""
    lines = markdown.splitlines()
    pending: list[tuple[str, str]] = []
    pending_end = -10
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if stripped.startswith("<!-- readme-test"):
            body = []
            rest = stripped.removeprefix("<!-- readme-test")
            while "-->" not in rest:
                body.append(rest)
                index += 1
                rest = lines[index].strip()
            body.append(rest.partition("-->")[0])
            pending = []
            for text in (b.strip() for b in body):
                if not text:
                    continue
                match = DIRECTIVE.match(text)
                if match is None:
                    raise AssertionError(f"README.md line {index + 1}: unknown directive {text!r}")
                pending.append((match[1], match[2].strip()))
            pending_end = index
        elif stripped.startswith("```"):
            fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
            language = stripped[len(fence) :].strip().split(" ")[0]
            start = index
            body = []
            index += 1
            while lines[index].strip() != fence:
                body.append(lines[index])
                index += 1
            close_to = start - pending_end <= 2 and all(
                not lines[i].strip() for i in range(pending_end + 1, start)
            )
            yield Example(start + 1, language, "\n".join(body) + "\n", pending if close_to else [])
            pending = []
        index += 1


def test_directives_are_read_from_the_comment_before_a_block() -> None:
    text = (
        "<!-- readme-test\nas: customer\nsave: <cart> = createEmptyCart\n-->\n"
        "```graphql\nmutation { createEmptyCart }\n```\n\n"
        "<!-- readme-test skip: needs wrk -->\n\n```sh\nwrk\n```\n```text\nfree\n```\n"
    )
    found = list(examples(text))
    assert [(e.line, e.language, e.directives) for e in found] == [
        (5, "graphql", [("as", "customer"), ("save", "<cart> = createEmptyCart")]),
        (11, "sh", [("skip", "needs wrk")]),
        (14, "text", []),
    ]
    assert found[0].text == "mutation { createEmptyCart }\n"


def env_name(placeholder: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", placeholder.upper())


def at(data: Any, path: str) -> Any:
    value = data
    for part in path.split(".") if path else []:
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def contains(actual: Any, shown: Any) -> bool:
    """Objects need only the keys shown; lists and values must be equal (in their parts)."""
    if isinstance(shown, dict):
        return isinstance(actual, dict) and all(
            k in actual and contains(actual[k], v) for k, v in shown.items()
        )
    if isinstance(shown, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(shown)
            and all(contains(a, s) for a, s in zip(actual, shown, strict=True))
        )
    return bool(actual == shown)


def user_errors(data: Any) -> list[Any]:
    found: list[Any] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "user_errors" and value:
                found.extend(value)
            else:
                found.extend(user_errors(value))
    elif isinstance(data, list):
        for item in data:
            found.extend(user_errors(item))
    return found


def matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual) is not None


def console_commands(text: str) -> list[tuple[str, list[str]]]:
    """`$ command` (continued by trailing backslashes) and the output lines after it."""
    found: list[tuple[str, list[str]]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("$ "):
            raise AssertionError(f"console block: output before a command: {line!r}")
        command = line[2:]
        while command.endswith("\\"):
            index += 1
            command += "\n" + lines[index]
        output = []
        index += 1
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        found.append((command, output))
    return found


class Shop:
    """The running demo shop and what examples saved."""

    def __init__(self, client: TestClient[Any, Any], settings: Settings, scratch: Path) -> None:
        self.client = client
        self.settings = settings
        self.scratch = scratch
        self.saved: dict[str, str] = {}
        self.last_data: Any = None

    def fill(self, example: Example) -> str:
        def value(match: re.Match[str]) -> str:
            name = match[1]
            if name not in self.saved:
                return match[0]  # not ours: HTML in a string, say
            return self.saved[name]

        text = PLACEHOLDER.sub(value, example.text)
        left = [n for n in PLACEHOLDER.findall(text) if n not in self.saved and " " in n]
        assert not left, f"{example.where()}: nothing saved for {left}"
        return text

    async def run(self, example: Example) -> None:
        if example.get("skip"):
            return
        if example.language == "graphql":
            await self.graphql(example)
        elif example.language == "sh":
            await self.shell(example, self.fill_shell(example.text))
        elif example.language == "console":
            for command, output in console_commands(example.text):
                printed = await self.shell(example, self.fill_shell(command))
                lines = printed.splitlines()
                same = len(lines) == len(output) and all(
                    matches(e, a) for e, a in zip(output, lines, strict=True)
                )
                assert same, f"{example.where()}: `{command}` printed\n{printed}\nnot\n" + (
                    "\n".join(output)
                )
        elif example.language == "json":
            self.data(example)
        elif example.language == "csv":
            (name,) = example.get("file")  # a csv block is a file for a later shell example
            (self.scratch / name).write_text(example.text, encoding="utf-8")

    def data(self, example: Example) -> None:
        decoder = json.JSONDecoder()
        text, values, position = self.fill(example).strip(), [], 0
        while position < len(text):
            value, position = decoder.raw_decode(text, position)
            values.append(value)
            while position < len(text) and text[position].isspace():
                position += 1
        if example.get("answer"):
            (shown,) = values
            assert contains(self.last_data, shown), (
                f"{example.where()}: the answer shown is not what the shop answered:\n"
                f"{json.dumps(self.last_data, indent=2)}"
            )
        for name in example.get("file"):
            lines = "".join(json.dumps(v) + "\n" for v in values)
            (self.scratch / name).write_text(lines, encoding="utf-8")
        assert example.get("answer") or example.get("file"), (
            f"{example.where()}: a json block needs `answer`, `file: NAME` or `skip: why`"
        )

    def fill_shell(self, text: str) -> str:
        address = f"127.0.0.1:{self.client.port}"
        return text.replace("127.0.0.1:8080", address).replace("localhost:8080", address)

    async def shell(self, example: Example, script: str) -> str:
        env = {
            **os.environ,
            "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "MAGESEG_DATABASE_URL": self.settings.database_url,
            "MAGESEG_CACHE_NAMESPACE": self.settings.cache_namespace,
            "MAGESEG_VAR_DIR": self.settings.var_dir,
            "MAGESEG_PASSWORD_TIME_COST": "1",
            "MAGESEG_PASSWORD_MEMORY_KIB": "1024",
            **{env_name(k): v for k, v in self.saved.items()},
        }
        if REDIS_URL:
            env["MAGESEG_REDIS_URL"] = REDIS_URL
        process = await asyncio.create_subprocess_exec(
            "bash",
            "-c",
            "set -euo pipefail\n" + script,
            cwd=self.scratch,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 120)
        printed = out.decode()
        assert process.returncode == 0, (
            f"{example.where()}: exit {process.returncode}\n{printed}\n{err.decode()}"
        )
        for directive in example.get("save"):
            name, _, source = directive.partition("=")
            assert source.strip() == "stdout", f"{example.where()}: save from stdout only"
            self.saved[name.strip().strip("<>")] = printed.strip().splitlines()[-1]
        return printed

    def token(self, example: Example, document: Any) -> str | None:
        (who,) = example.get("as") or ["default"]
        if who == "default":
            roots = [
                selection.name.value
                for definition in document.definitions
                if isinstance(definition, OperationDefinitionNode)
                for selection in definition.selection_set.selections
            ]
            who = "admin" if any(r.startswith("admin") for r in roots) else "guest"
        if who == "guest":
            return None
        name = {"admin": "admin token", "customer": "customer token"}.get(who, who.strip("<>"))
        assert name in self.saved, f"{example.where()}: no {name} saved before this example"
        return self.saved[name]

    async def graphql(self, example: Example) -> None:
        query = self.fill(example)
        document = parse(query)
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        assert len(operations) == 1, f"{example.where()}: one operation per block"
        headers = {}
        token = self.token(example, document)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        for store in example.get("store"):
            headers["Store"] = store
        deadline = time.monotonic() + float((example.get("retry") or ["0"])[0])
        while True:
            response = await self.client.post("/graphql", json={"query": query}, headers=headers)
            body = await response.json()
            problems = self.check(example, body)
            if not problems or time.monotonic() >= deadline:
                break
            await asyncio.sleep(0.2)
        assert not problems, f"{example.where()}: {problems}\n{json.dumps(body, indent=2)}"
        self.last_data = body.get("data")
        for directive in example.get("save"):
            name, _, path = directive.partition("=")
            value = at(self.last_data, path.strip())
            self.saved[name.strip().strip("<>")] = value if isinstance(value, str) else str(value)

    def check(self, example: Example, body: dict[str, Any]) -> list[str]:
        problems = []
        data = body.get("data")
        refusals = (body.get("errors") or []) + user_errors(data)
        if example.get("refused"):
            if not refusals:
                problems.append("expected a refusal, the shop accepted")
        elif refusals:
            problems.append(f"refused: {refusals}")
        for directive in example.get("expect"):
            path, _, shown = directive.partition("=")
            try:
                actual = at(data, path.strip())
            except (KeyError, IndexError, TypeError):
                problems.append(f"nothing at {path.strip()}")
                continue
            if actual != json.loads(shown):
                problems.append(f"{path.strip()} is {json.dumps(actual)}, not {shown.strip()}")
        return problems


@pytest.fixture
def demo_settings(settings: Settings, tmp_path: Path) -> Settings:
    """The shop as `make run` starts it (refreshes, time runs and webhooks in process)."""
    return Settings(**{**settings.__dict__, "var_dir": str(tmp_path / "var")})


async def test_the_readme_runs_in_order(
    db: Any, demo_settings: Settings, aiohttp_client: Any, tmp_path: Path
) -> None:
    started = time.monotonic()
    await load(
        DEMO_SIZE,
        progress=False,
        hasher=PasswordHasher(time_cost=1, memory_kib=1024),
        documents=True,
    )
    assert await demo_credentials() == (
        "Demo customers: gary.oconnor1@example.com (store 'default', the default) or "
        "wendy.dominguez2@example.org (send the header 'Store: wholesale'); every demo "
        "password is 'Demo-Pass-123'."
    )
    client = await aiohttp_client(create_app(demo_settings, manage_database=False))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    shop = Shop(client, demo_settings, scratch)
    shop.saved["admin token"] = await demo_admin_token(demo_settings)
    ran, failures = 0, []
    for example in examples(README.read_text(encoding="utf-8")):
        if example.language in RUN and not example.get("skip"):
            ran += 1
            try:
                await shop.run(example)
            except AssertionError as failure:  # go on: the first failure is the one to read
                failures.append(str(failure))
    assert not failures, f"{len(failures)} of {ran} README examples failed:\n\n" + "\n\n".join(
        failures
    )
    assert ran >= 20, f"only {ran} examples ran"
    print(f"{ran} README examples ran in {time.monotonic() - started:.1f} s")
