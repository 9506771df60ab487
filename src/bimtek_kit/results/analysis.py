"""The numbers of the laporan (DESIGN §10): rekap nilai with N-gain, item analysis, evaluations.

- N-gain after Hake (1998): g = (post − pre) / (100 − pre); tinggi g ≥ 0.7, sedang
  0.3 ≤ g < 0.7, rendah g < 0.3. The class value uses the class means, as Hake does; a
  participant with a perfect pre-test has no N-gain (nothing left to gain).
- Difficulty index p: the share of participants who answered right (sukar < 0.3, sedang
  0.3–0.7, mudah > 0.7).
- Discrimination D = p(upper) − p(lower), the groups being the top and bottom 27 % by total
  score (Kelley); D ≥ 0.4 sangat baik, 0.3 baik, 0.2 cukup, below that jelek (Ebel).
- Distractors nobody chose: a wrong option that no participant picked does not work; the
  item names the question's line in the bank so the author can rewrite it.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bimtek_kit.model import Course, EvaluationForm, Module
    from bimtek_kit.results.scores import FormResults, Results, TestResults

HIGH, MEDIUM = 0.7, 0.3
GROUP_SHARE = 0.27


def gain_category(gain: float | None) -> str:
    if gain is None:
        return "-"
    return "tinggi" if gain >= HIGH else "sedang" if gain >= MEDIUM else "rendah"


def n_gain(pre: float, post: float) -> float | None:
    return None if pre >= 100 else round((post - pre) / (100 - pre), 4)


@dataclass(frozen=True)
class RekapRow:
    number: int
    nip: str
    name: str
    pre: float | None
    post: float | None

    @property
    def gain(self) -> float | None:
        return None if self.pre is None or self.post is None else round(self.post - self.pre, 2)

    @property
    def n_gain(self) -> float | None:
        return None if self.pre is None or self.post is None else n_gain(self.pre, self.post)

    @property
    def category(self) -> str:
        return gain_category(self.n_gain)


@dataclass(frozen=True)
class Rekap:
    rows: tuple[RekapRow, ...]

    def _mean(self, values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return round(mean(present), 2) if present else None

    @property
    def mean_pre(self) -> float | None:
        return self._mean([r.pre for r in self.rows])

    @property
    def mean_post(self) -> float | None:
        return self._mean([r.post for r in self.rows])

    @property
    def class_n_gain(self) -> float | None:
        """Hake's ⟨g⟩ from the means of the participants who took both tests."""
        both = [r for r in self.rows if r.pre is not None and r.post is not None]
        if not both:
            return None
        return n_gain(mean(r.pre for r in both), mean(r.post for r in both))  # type: ignore[misc]

    def counts(self) -> dict[str, int]:
        counts = {"tinggi": 0, "sedang": 0, "rendah": 0}
        for row in self.rows:
            if row.category in counts:
                counts[row.category] += 1
        return counts


def rekap(results: Results, names: dict[str, str] | None) -> Rekap:
    """One row per participant (roster order when there is one, else pre-test order)."""
    pre = _test(results, "pre")
    post = _test(results, "post")
    pre_scores = {r.nip: r.score for r in pre.rows} if pre else {}
    post_scores = {r.nip: r.score for r in post.rows} if post else {}
    order = list(names or {}) or list(pre_scores) or list(post_scores)
    present = [nip for nip in order if nip in pre_scores or nip in post_scores]
    return Rekap(tuple(
        RekapRow(i, nip, (names or {}).get(nip, ""), pre_scores.get(nip), post_scores.get(nip))
        for i, nip in enumerate(present, start=1)))


def _test(results: Results, prefix: str) -> TestResults | None:
    return next((t for name, t in results.tests.items() if name.startswith(prefix)), None)


@dataclass(frozen=True)
class ItemRow:
    bank: str
    number: int
    kind: str
    difficulty: float
    discrimination: float
    unused: tuple[str, ...]
    """Wrong options (bank letters) that nobody chose."""
    loc: str
    """`content/evaluasi/post-test.yml:23`."""

    @property
    def difficulty_label(self) -> str:
        return "mudah" if self.difficulty > HIGH else "sedang" if self.difficulty >= MEDIUM \
            else "sukar"

    @property
    def discrimination_label(self) -> str:
        d = self.discrimination
        return "sangat baik" if d >= 0.4 else "baik" if d >= 0.3 else "cukup" if d >= 0.2 \
            else "jelek"


def item_analysis(tests: TestResults) -> list[ItemRow]:
    """Difficulty, discrimination and unused distractors of every scored bank question."""
    rows = sorted(tests.rows, key=lambda r: (-r.score, r.row))
    size = max(1, round(GROUP_SHARE * len(rows)))
    upper, lower = rows[:size], rows[-size:]
    items = []
    for question in tests.bank.questions:
        number = question.number
        if number not in tests.scored or not rows:
            continue

        def share(group: list, n: int = number) -> float:
            return sum(r.correct.get(n, False) for r in group) / len(group)

        chosen = {r.chosen.get(number) for r in rows}
        unused = tuple(chr(ord("A") + i) for i in range(len(question.options))
                       if chr(ord("A") + i) != question.answer and chr(ord("A") + i) not in chosen)
        items.append(ItemRow(tests.bank.name, number, question.kind, round(share(rows), 2),
                             round(share(upper) - share(lower), 2), unused, str(question.loc)))
    return items


@dataclass(frozen=True)
class Rating:
    label: str
    """An aspect (form section), a statement, or a narasumber."""
    mean: float
    count: int
    scale_label: str


def scale_label(form: EvaluationForm, value: float) -> str:
    """The scale word of the mean, by equal class intervals over 1…k (the usual interval
    kelas of Indonesian evaluation reports; on a 4-point scale 1,00–1,75 Sangat Kurang,
    1,75–2,50 Kurang, 2,50–3,25 Baik, 3,25–4,00 Sangat Baik)."""
    k = len(form.scale)
    width = (k - 1) / k
    index = min(max(int((value - 1) / width), 0), k - 1)
    return form.scale[index]


def per_aspect(found: FormResults) -> list[Rating]:
    """Mean rating of every section of the form, over all answers to its statements."""
    ratings = []
    number = 0
    for section in found.form.sections:
        numbers = range(number + 1, number + len(section.items) + 1)
        number += len(section.items)
        values = [row.ratings[n] for row in found.rows for n in numbers if n in row.ratings]
        if values:
            value = round(mean(values), 2)
            ratings.append(Rating(section.title, value, len(values),
                                  scale_label(found.form, value)))
    return ratings


def per_statement(found: FormResults) -> list[Rating]:
    """Mean rating of every statement (the aspects of a narasumber form)."""
    statements = [item for section in found.form.sections for item in section.items]
    ratings = []
    for number, text in enumerate(statements, start=1):
        values = [row.ratings[number] for row in found.rows if number in row.ratings]
        if values:
            value = round(mean(values), 2)
            ratings.append(Rating(text, value, len(values), scale_label(found.form, value)))
    return ratings


def speaker_of(course: Course, module: Module) -> str:
    """Who taught `module`: its front matter's `narasumber`, else the `narasumber` entries of
    `bimtek.yml` that list it (the organisers' kit, §9), else empty."""
    if module.narasumber:
        return module.narasumber
    speakers = getattr(course.config, "narasumber", None) or []
    names = [s.nama for s in speakers if module.id in getattr(s, "modul", ())]
    return ", ".join(names)


def per_narasumber(found: FormResults, course: Course) -> list[Rating]:
    """Mean rating per narasumber (see `speaker_of`; the module title when nobody is named)."""
    groups: dict[str, list[int]] = {}
    for row in found.rows:
        module = course.module(row.module) if row.module else None
        who = (speaker_of(course, module) or module.title) if module else "-"
        groups.setdefault(who, []).extend(row.ratings.values())
    return [Rating(who, round(mean(values), 2), len(values),
                   scale_label(found.form, mean(values)))
            for who, values in groups.items() if values]


def comments(found: FormResults) -> list[tuple[str, list[str]]]:
    """Each open question with the answers written to it; the same answer written by several
    participants once, with a count (`Waktu praktik perlu ditambah (12×)`)."""
    grouped = []
    for i, prompt in enumerate(found.form.comments):
        counts: dict[str, list] = {}
        for row in found.rows:
            text = row.comments[i].strip() if i < len(row.comments) else ""
            if text:
                counts.setdefault(" ".join(text.casefold().split()), [text, 0])[1] += 1
        grouped.append((prompt, [text if count == 1 else f"{text} ({count}×)"
                                 for text, count in counts.values()]))
    return grouped
