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
DIRECTIVE_TABLE: dict[str, str] = {
    # Indonesian name -> English alias (DESIGN §3). A new directive is one line here plus its
    # branch in `convert_directive`; anything not in this table is an error, never a plain box.
    "latihan": "exercise",
    "studi-kasus": "case-study",
    "simulasi": "role-play",
    "diskusi": "discussion",
    "penting": "important",
    "tips": "tip",
    "info": "info",
    "catatan": "notes",
    "kunci": "answer",
    "rangkuman": "summary",
    "hanya-slide": "slides-only",
    "hanya-buku": "handbook-only",
}
DIRECTIVES = tuple(DIRECTIVE_TABLE)
ALIASES = {alias: name for name, alias in DIRECTIVE_TABLE.items() if alias != name}
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
        ctx.diagnostics.error(loc, f"directive '{written}': {meta['option_error']}")
    name = canonical_name(written)
    if name is None:
        # Never shown at all: a misspelt `kunci` or `catatan` must not reach participants.
        hint = did_you_mean(written.lower(), (*DIRECTIVES, *ALIASES))
        known = hint or f" (known: {', '.join(DIRECTIVES)})"
        ctx.diagnostics.error(
            loc, f"unknown directive '{written}'{known}; its content is left out everywhere"
        )
        _children(node, ctx, written)  # still report the problems inside it
        return []
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
    """Blame the fence really left open, and say where its file or parent ended."""
    meta = node.meta
    if meta["closed"]:
        return
    last = ctx.body_line + int(meta["last_line"])
    if meta["at_end"] or not ctx.enclosing:
        where = f"the file ends at line {last}" if meta["at_end"] else (
            f"the list item or quote around it ends at line {last}"
        )
    else:
        where = f"its parent '{ctx.enclosing[-1]}' ends at line {last}"
    ctx.diagnostics.error(
        ctx.loc_of(node),
        f"directive '{meta['name']}' is never closed: {where} without a closing line "
        f"'{meta['fence']}'",
    )


def _options(raw: dict[str, str], name: str, loc: Loc, ctx: BlockContext) -> dict[str, int]:
    """Check `{waktu=20 baris=6}`; unknown or malformed options are errors (DESIGN §3)."""
    allowed = ("waktu", "baris") if name in ACTIVITIES else ()
    options: dict[str, int] = {}
    for key, value in raw.items():
        canonical = OPTION_ALIASES.get(key, key)
        if canonical not in allowed:
            hint = did_you_mean(key, (*allowed, *OPTION_ALIASES)) if allowed else ""
            where = f"'{name}'" if allowed else f"'{name}' (it takes no options)"
            ctx.diagnostics.error(loc, f"unknown option '{key}' for {where}{hint}")
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
    if kind == "latihan" and not questions:
        ctx.diagnostics.warning(
            loc, "latihan has no question: add a numbered list (1. …) for the worksheet"
        )
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
