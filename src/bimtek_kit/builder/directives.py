"""Fenced directives (DESIGN §3) -> Activity, Callout, Notes, Summary, AudienceOnly blocks."""

from __future__ import annotations

from markdown_it.tree import SyntaxTreeNode

from bimtek_kit.builder.blocks import convert_blocks, split_first_paragraph
from bimtek_kit.builder.context import BlockContext
from bimtek_kit.builder.inline import convert_inline
from bimtek_kit.errors import Loc, did_you_mean
from bimtek_kit.model import (
    Activity,
    ActivityQuestion,
    AudienceOnly,
    Block,
    Callout,
    Notes,
    Role,
    Summary,
    plain,
)

ACTIVITIES = ("latihan", "studi-kasus", "simulasi", "diskusi")
CALLOUTS = ("penting", "tips", "info")
DIRECTIVES = (*ACTIVITIES, *CALLOUTS, "catatan", "kunci", "rangkuman", "hanya-slide", "hanya-buku",
              "bagan")
ALIASES = {
    "notes": "catatan",
    "exercise": "latihan",
    "case-study": "studi-kasus",
    "role-play": "simulasi",
    "discussion": "diskusi",
    "answer": "kunci",
    "summary": "rangkuman",
    "important": "penting",
    "tip": "tips",
    "slides-only": "hanya-slide",
    "handbook-only": "hanya-buku",
    "diagram": "bagan",
}
OPTION_ALIASES = {"minutes": "waktu", "lines": "baris"}
DEFAULT_LINES = 5
ROLE_PREFIXES = ("peran", "role")


def canonical_name(name: str) -> str | None:
    """Return the Indonesian directive name for `name` or an alias, None when unknown."""
    lowered = name.lower()
    if lowered in DIRECTIVES:
        return lowered
    return ALIASES.get(lowered)


def convert_directive(node: SyntaxTreeNode, ctx: BlockContext) -> list[Block]:
    meta = node.meta
    loc = ctx.loc_of(node)
    written = str(meta["name"])
    _report_unclosed(node, ctx)
    if meta.get("option_error"):
        ctx.diagnostics.warning(loc, f"directive '{written}': {meta['option_error']}")
    name = canonical_name(written)
    if name is None:
        known = (*DIRECTIVES, *ALIASES)
        ctx.diagnostics.warning(
            loc,
            f"unknown directive '{written}'{did_you_mean(written.lower(), known)}; "
            "its content is shown as a plain box",
        )
        return [Callout("box", str(meta["title"]), _children(node, ctx, written), loc)]
    if name == "bagan":
        from bimtek_kit.builder.diagrams import convert_diagram

        return convert_diagram(node, str(meta["title"]), dict(meta["options"]), ctx)
    options = _options(meta["options"], name, loc, ctx)
    if name == "kunci" and not any(e in ACTIVITIES for e in ctx.enclosing):
        ctx.diagnostics.error(
            loc,
            "'kunci' (answer key) is only allowed inside latihan, studi-kasus, simulasi or "
            "diskusi; put it inside the activity it answers",
        )
    if name in ACTIVITIES:
        return [_activity(node, name, options, loc, ctx)]
    blocks = _children(node, ctx, name)
    title = str(meta["title"])
    if name in CALLOUTS:
        return [Callout(name, title, blocks, loc)]
    if name == "catatan":
        return [Notes(blocks, loc)]
    if name == "rangkuman":
        return [Summary(title, blocks, loc)]
    if name == "hanya-slide":
        return [AudienceOnly("slides", blocks, loc)]
    if name == "hanya-buku":
        return [AudienceOnly("handbook", blocks, loc)]
    return []  # a stray `kunci`: reported above, never shown to participants


def _children(node: SyntaxTreeNode, ctx: BlockContext, name: str) -> tuple[Block, ...]:
    ctx.enclosing.append(name)
    try:
        return convert_blocks(node.children, ctx)
    finally:
        ctx.enclosing.pop()


def _report_unclosed(node: SyntaxTreeNode, ctx: BlockContext) -> None:
    if node.meta["closed"]:
        return
    hint = ""
    if ctx.enclosing:
        hint = (
            " (inside another directive, the outer fence must be longer: '::::' outside, "
            "':::' inside)"
        )
    ctx.diagnostics.error(
        ctx.loc_of(node),
        f"directive '{node.meta['name']}' is never closed: end it with a line "
        f"'{node.meta['fence']}'{hint}",
    )


def _options(raw: dict[str, str], name: str, loc: Loc, ctx: BlockContext) -> dict[str, int]:
    """Check `{waktu=20 baris=6}`; unknown or malformed options are warnings (DESIGN §3)."""
    allowed = ("waktu", "baris") if name in ACTIVITIES else ()
    options: dict[str, int] = {}
    for key, value in raw.items():
        canonical = OPTION_ALIASES.get(key, key)
        if canonical not in allowed:
            hint = did_you_mean(key, (*allowed, *OPTION_ALIASES)) if allowed else ""
            where = f"'{name}'" if allowed else f"'{name}' (it takes no options)"
            ctx.diagnostics.warning(loc, f"unknown option '{key}' for {where}{hint}")
            continue
        if not value.isdigit() or int(value) <= 0:
            ctx.diagnostics.error(
                loc, f"option '{key}' must be a positive whole number, got '{value}'"
            )
            continue
        options[canonical] = int(value)
    return options


def _activity(
    node: SyntaxTreeNode, kind: str, options: dict[str, int], loc: Loc, ctx: BlockContext
) -> Activity:
    ctx.enclosing.append(kind)
    ctx.activity_count += 1
    number = ctx.activity_count
    blocks: list[Block] = []
    questions: list[ActivityQuestion] = []
    roles: list[tuple[str, Loc, list[SyntaxTreeNode]]] = []
    key: list[Block] = []
    try:
        for child in node.children:
            if child.type == "directive" and canonical_name(str(child.meta["name"])) == "kunci":
                _report_unclosed(child, ctx)
                key.extend(_children(child, ctx, "kunci"))
            elif _is_role_heading(child):
                role_title = plain(ctx.inline(child).spans)
                roles.append((role_title, ctx.loc_of(child), []))
            elif roles:
                roles[-1][2].append(child)
            elif child.type == "ordered_list":
                for item in child.children:
                    spans, rest = split_first_paragraph(item, ctx)
                    questions.append(
                        ActivityQuestion(len(questions) + 1, spans, rest, ctx.loc_of(item))
                    )
            else:
                blocks.extend(convert_blocks([child], ctx))
        built_roles = tuple(
            Role(title, convert_blocks(nodes, ctx), role_loc) for title, role_loc, nodes in roles
        )
    finally:
        ctx.enclosing.pop()
    if kind == "simulasi" and not built_roles:
        ctx.diagnostics.warning(loc, "simulasi has no role cards: add '#### Peran <name>' headings")
    return Activity(
        kind=kind,  # type: ignore[arg-type]
        title=str(node.meta["title"]),
        minutes=options.get("waktu"),
        lines=options.get("baris", DEFAULT_LINES),
        blocks=tuple(blocks),
        questions=tuple(questions),
        roles=built_roles,
        key=tuple(key),
        loc=loc,
        number=number,
    )


def _is_role_heading(node: SyntaxTreeNode) -> bool:
    if node.type != "heading" or node.tag not in ("h4", "h3"):
        return False
    inline = next((c.token.children or [] for c in node.children if c.token is not None), [])
    return plain(convert_inline(inline).spans).lower().startswith(ROLE_PREFIXES)
