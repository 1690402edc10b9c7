"""Venia's GraphQL documents, read out of PWA Studio's published npm packages.

The packages are fetched at setup (`make venia-documents`, or `python -m tests.venia var/venia`),
pinned by version and checksum like GraphiQL's scripts (`mageseg/graphiql.py`), and never
committed: we do not vendor others' code. `documents(folder)` then reads every `gql` template
literal of their `lib/` JavaScript, resolves `${Fragment}` interpolations by fragment name and
yields each operation with its source file and build (Magento Open Source "ce", Adobe Commerce
"ee", or both), as Venia's build picks `*.ce.js` or `*.ee.js` files by the backend edition.
It also yields the queries PWA Studio's buildpack sends at build time (`lib/queries/*.graphql`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import REMOVE, Node, Visitor

from mageseg.graphiql import integrity_of

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "var" / "venia"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    # npm's `dist.integrity` (sha512 of the tarball, base64)
    integrity: str


PACKAGES = (
    Package(
        "@magento/venia-ui",
        "11.7.3",
        "sha512-7WEqGtPow0VTp7wLQRESP19BQzBvS5/hMkGmWhKwbJzfqEPG3dmgTHmlzu5QYq0KzMX4XqSJ2zYmcr6djBoecg==",
    ),
    Package(
        "@magento/peregrine",
        "15.7.3",
        "sha512-7z4Pn1R+gjL5L0Xd66t8CefLLl1UIRSUS9rc2EFyHIW1rZXSJq11ALw4OJY8Q71aB5gjS/fZNFF8SpxADUWO9Q==",
    ),
    # venia-ui 11.7.3 depends on ~11.5.5; its build-time queries
    Package(
        "@magento/pwa-buildpack",
        "11.5.5",
        "sha512-QIAqZBJMx1OcxtmHDtiBeb/ALVi01JjWR7OMAbtXAUQmfkMgtcC1zK8j52tzQOPxBQACCDk6RLg8jWab9rIM7Q==",
    ),
)
BUILDPACK = "@magento/pwa-buildpack"


def package_folder(folder: Path, package: Package) -> Path:
    return folder / package.name.replace("/", "+")


def fetch(folder: Path) -> None:
    """Fetch each package with npm, check its checksum and keep its `lib/` sources."""
    with tempfile.TemporaryDirectory() as scratch:
        for package in PACKAGES:
            result = subprocess.run(
                ["npm", "pack", f"{package.name}@{package.version}", "--silent"],
                cwd=scratch,
                check=True,
                capture_output=True,
                text=True,
            )
            tarball = Path(scratch) / result.stdout.strip().splitlines()[-1]
            content = tarball.read_bytes()
            found = integrity_of(content)
            if found != package.integrity:
                raise ValueError(
                    f"{package.name}@{package.version}: checksum {found} is not the pinned "
                    f"{package.integrity}"
                )
            target = package_folder(folder, package)
            shutil.rmtree(target, ignore_errors=True)
            with tarfile.open(tarball) as tar:
                for member in tar.getmembers():
                    path = Path(member.name)
                    if (
                        not member.isfile()
                        or path.parts[:2] != ("package", "lib")
                        or path.suffix not in (".js", ".graphql")
                        or "__tests__" in path.parts
                        or "__fixtures__" in path.parts
                    ):
                        continue
                    source = tar.extractfile(member)
                    assert source is not None
                    out = target / Path(*path.parts[1:])
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(source.read())
            (target / "VERSION").write_text(f"{package.version} {package.integrity}\n")


def available(folder: Path = FOLDER) -> bool:
    return all(
        (package_folder(folder, p) / "VERSION").is_file()
        and (package_folder(folder, p) / "VERSION").read_text().split() == [p.version, p.integrity]
        for p in PACKAGES
    )


@dataclass(frozen=True)
class Document:
    name: str  # the operation's name ("" for buildpack's anonymous queries)
    kind: str  # query | mutation
    source: str  # package-relative file, such as "@magento/peregrine/lib/talons/..."
    builds: frozenset[str]  # {"ce"}, {"ee"} or both
    text: str  # the operation and the fragments it uses, printed by graphql-core

    @property
    def root_fields(self) -> tuple[str, ...]:
        operation = next(
            d for d in parse(self.text).definitions if isinstance(d, OperationDefinitionNode)
        )
        names: list[str] = []
        for selection in operation.selection_set.selections:
            name = selection.name.value  # type: ignore[attr-defined]
            if name not in names:
                names.append(name)
        return tuple(names)


TEMPLATE = re.compile(r"\bgql\s*`")
INTERPOLATION = re.compile(r"\$\{[^}]*\}")


def templates(script: str) -> Iterator[str]:
    """The bodies of the `gql` template literals of a script, interpolations removed."""
    for match in TEMPLATE.finditer(script):
        end = match.end()
        while script[end] != "`":
            end += 2 if script[end] == "\\" else 1
        body = script[match.end() : end].replace("\\`", "`")
        yield INTERPOLATION.sub("", body)


def build_of(path: Path) -> str | None:
    for build in ("ce", "ee"):
        if path.name.endswith(f".{build}.js"):
            return build
    return None


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.names.append(node.name.value)


class _AsApolloSends(Visitor):
    """What Apollo Client 3 puts on the wire: fields marked `@client` removed (local state),
    the `@client` and `@connection` directives dropped, `__typename` added to every selection
    set below the root (InMemoryCache's `addTypename`)."""

    def enter_field(self, node: FieldNode, *_: object) -> object:
        if any(d.name.value == "client" for d in node.directives or ()):
            return REMOVE
        return None

    def leave_directive(self, node: Node, *_: object) -> object:
        return REMOVE if node.name.value in ("client", "connection") else None  # type: ignore[attr-defined]

    def leave_selection_set(
        self, node: SelectionSetNode, key: object, parent: object, *_: object
    ) -> object:
        if isinstance(parent, OperationDefinitionNode) or not node.selections:
            return None
        if any(isinstance(s, FieldNode) and s.name.value == "__typename" for s in node.selections):
            return None
        typename = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())
        return SelectionSetNode(selections=(*node.selections, typename))


def as_apollo_sends(node: Node) -> Node:
    return visit(node, _AsApolloSends())  # type: ignore[no-any-return]


def _spreads(node: OperationDefinitionNode | FragmentDefinitionNode) -> list[str]:
    visitor = _Spreads()
    visit(node, visitor)
    return visitor.names


def documents(folder: Path = FOLDER) -> list[Document]:
    """Every operation of Venia (venia-ui and peregrine) and of buildpack's build-time queries,
    one `Document` per distinct text per build."""
    # fragment name -> build (None: both) -> definition
    fragments: dict[str, dict[str | None, FragmentDefinitionNode]] = {}
    operations: list[tuple[OperationDefinitionNode, str, str | None]] = []
    for package in PACKAGES:
        base = package_folder(folder, package)
        files = sorted(base.rglob("*.graphql" if package.name == BUILDPACK else "*.js"))
        for path in files:
            source = f"{package.name}/{path.relative_to(base).as_posix()}"
            build = build_of(path)
            bodies = (
                [path.read_text()] if path.suffix == ".graphql" else templates(path.read_text())
            )
            for body in bodies:
                document: DocumentNode = parse(body, no_location=True)
                for definition in document.definitions:
                    if package.name != BUILDPACK:  # (buildpack posts its queries as written)
                        definition = as_apollo_sends(definition)  # type: ignore[assignment]
                    if isinstance(definition, FragmentDefinitionNode):
                        known = fragments.setdefault(definition.name.value, {})
                        if build in known and print_ast(known[build]) != print_ast(definition):
                            raise ValueError(f"two fragments {definition.name.value} in {build}")
                        known[build] = definition
                    elif (
                        isinstance(definition, OperationDefinitionNode)
                        and definition.selection_set.selections
                    ):
                        # (an operation of local fields only is never sent)
                        operations.append((definition, source, build))

    def fragment(name: str, build: str) -> FragmentDefinitionNode:
        known = fragments[name]
        return known.get(build) or known[None]

    def text_for(operation: OperationDefinitionNode, build: str) -> str:
        needed: list[str] = []
        pending = _spreads(operation)
        while pending:
            name = pending.pop(0)
            if name in needed:
                continue
            needed.append(name)
            pending.extend(_spreads(fragment(name, build)))
        parts = [print_ast(operation)] + [print_ast(fragment(n, build)) for n in sorted(needed)]
        return "\n\n".join(parts)

    # (name, text) -> kind, first source, builds: the same text sent by several components
    # (`createCart` is in five) is one document
    found: dict[tuple[str, str], tuple[str, str, set[str]]] = {}
    for operation, source, build in operations:
        name = operation.name.value if operation.name else ""
        for b in [build] if build else ["ce", "ee"]:
            text = text_for(operation, b)
            found.setdefault((name, text), (operation.operation.value, source, set()))[2].add(b)
    return [
        Document(name, kind, source, frozenset(builds), text)
        for (name, text), (kind, source, builds) in found.items()
    ]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER
    if not available(target):
        fetch(target)
    print(f"{len(documents(target))} Venia documents in {target}")
