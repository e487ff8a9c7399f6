"""One case study as a chapter of the study book, in Typst markup.

A chapter reads as the narrative page does (`archgen.narrate.narrative`,
whose step views, fields, review section and references it reuses, so the
book and the pages never disagree on what a step shows): the title and
summary, the overview diagram, the seven steps with their fields, notes,
tradeoffs, follow-ups with answers, estimates and step diagrams, the design
review, then the references. The look is `style.typ`'s; this module only
says what goes where, escaping every text on the way (`markup`).
"""

from __future__ import annotations

from collections.abc import Iterable

from archgen.book.markup import content, markdown, string, text
from archgen.model import Blueprint, Reference
from archgen.narrate.fields import Field, Pair
from archgen.narrate.narrative import StepView, template_context
from archgen.narrate.review_section import ReviewSection

# The tallest a diagram is drawn: the overview may fill most of a page, a step's view
# sits beside its text. Both are vector drawings, so a reader zooms in for detail.
OVERVIEW_HEIGHT = "21cm"
STEP_HEIGHT = "12cm"
CLEAN_REVIEW = "Nothing to add: the design review finds no gap an interviewer would probe."


def case_study(blueprint: Blueprint) -> str:
    """The chapter of `blueprint`; its diagrams are read from `ID/` beside the book's source."""
    context = template_context(blueprint, image_ext="svg")
    parts = [f"= {text(blueprint.title)}"]
    if context["summary"]:
        parts.append(markdown(context["summary"]))
    if context["tags"]:
        parts.append(f"#tags{content('Tags: ' + ', '.join(text(t) for t in context['tags']))}")
    overview = context["overview"]
    parts.append(_diagram(f"{blueprint.id}/{overview.src}", overview.alt, OVERVIEW_HEIGHT))
    parts += [_step(blueprint.id, view) for view in context["steps"]]
    parts.append(_review(context["review"]))
    if context["references"]:
        parts.append(_references(context["references"]))
    return "\n\n".join(parts)


def _diagram(path: str, alt: str, max_height: str, caption: str = "") -> str:
    caption_arg = f", caption: {content(text(caption))}" if caption else ""
    return f"#diagram({string(path)}, alt: {string(alt)}, max-height: {max_height}{caption_arg})"


def _step(blueprint_id: str, view: StepView) -> str:
    # `== 1\. Requirements`: the number's dot is escaped with the rest of the heading.
    parts = [f"== {text(f'{view.number}. {view.title}')}"]
    parts += [field(item) for item in view.fields]
    if view.notes:
        parts.append(markdown(view.notes))
    if view.diagram is not None:
        caption = f"Step {view.number}, {view.title}: the components it involves, highlighted"
        path = f"{blueprint_id}/{view.diagram.src}"
        parts.append(_diagram(path, view.diagram.alt, STEP_HEIGHT, caption))
    return "\n\n".join(parts)


def field(item: Field) -> str:
    """A step field: its label, then its text, list, table or items with answers."""
    if item.kind == "text" and item.inline:
        return f"#field-label{content(text(item.label))} {markdown(item.text, tight=True)}"
    label = f"#field-head{content(text(item.label))}"
    if item.kind == "text":
        return f"{label}\n\n{markdown(item.text)}"
    if item.kind == "table":
        return f"{label}\n\n{_table(item)}"
    if item.kind == "pairs":
        return f"{label}\n{_list(_pair(item, pair) for pair in item.pairs)}"
    return f"{label}\n{_list(markdown(text_, tight=True) for text_ in item.items)}"


def _list(items: Iterable[str]) -> str:
    return f"#list({', '.join(content(item) for item in items)})"


def _table(item: Field) -> str:
    heads = ", ".join(content(f"#strong{content(text(c))}") for c in item.columns)
    cells = ", ".join(
        f"{content(text(name))}, {content(markdown(value, tight=True))}"
        for name, value in item.rows
    )
    return f"#table(columns: (auto, 1fr), table.header({heads}), {cells})"


def _pair(item: Field, pair: Pair) -> str:
    """A question or option with its answer: after it on its line, or set apart under it
    (a follow-up's, so that a reader can try the question first)."""
    question = markdown(pair.text, tight=True)
    if not pair.answer:
        return question
    lead = content(text(item.lead)) if item.lead else "none"
    if item.answers == "folded":
        return f"{question}\n#answer({lead}, {content(markdown(pair.answer))})"
    if pair.inline:
        lead_text = f"#emph{lead} " if item.lead else ""
        return f"{question} --- {lead_text}{markdown(pair.answer, tight=True)}"
    return f"{question}\n\n{markdown(pair.answer)}"


def _review(review: ReviewSection) -> str:
    parts = [f"== {text(review.title)}"]
    if review.clean:
        parts.append(f"#emph{content(text(CLEAN_REVIEW))}")
    else:
        intro = f"What an interviewer would still ask about, by step ({review.summary}):"
        parts.append(f"#emph{content(text(intro))}")
    for group in review.groups:
        parts.append(f"#heading(level: 3, outlined: false){content(text(group.title))}")
        parts += [
            f"#finding({string(f.severity)}, {string(f.rule)}, {content(markdown(f.message))})"
            for f in group.findings
        ]
    if review.ignored:
        reasons = (
            f"#raw({string(rule)})" + (f": {markdown(reason, tight=True)}" if reason else "")
            for rule, reason in review.ignored
        )
        parts.append(f"#field-head[Left out on purpose]\n{_list(reasons)}")
    return "\n\n".join(parts)


def _references(references: tuple[Reference, ...]) -> str:
    items = []
    for ref in references:
        link = f"#link({string(ref.url)}){content(text(ref.title or ref.url))}"
        items.append(link + (f" --- {markdown(ref.note, tight=True)}" if ref.note else ""))
    return f"== References\n\n{_list(items)}"
