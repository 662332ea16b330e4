"""Talks: proposals, answers, counters and agreements coming into force."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import attrs

from engine.errors import IllegalInput
from engine.rules import events
from engine.rules.effects import apply_effects
from engine.rules.inputs import Offer, Propose, Respond
from engine.rules.phrases import phrase
from engine.rules.state import Agreement, Answer, PackagePart, Phase, Proposal
from engine.rules.work import Work
from engine.scenario.models import AgreementTemplate, Parameter


def agenda_systems(scenario, turn: int) -> tuple[str, ...] | None:
    """The systems this turn's talks are limited to, or None when any system may be raised."""
    for item in scenario.agenda:
        if item.turn == turn:
            return item.systems
    return None


def template_problem(game, turn: int, active, seat: str, template: AgreementTemplate) -> str | None:
    """Why `seat` may not propose `template` on `turn` with `active` actors at the table, or None."""
    if template.eligible and seat not in template.eligible:
        return "not open to this actor"
    agenda = agenda_systems(game.scenario, turn)
    if agenda is not None and template.system not in agenda:
        return "not on this turn's agenda"
    if sum(1 for a in template.eligible or game.seats if a in active) < template.min_parties:
        return "too few eligible actors at the table"
    return None


def check_params(template: AgreementTemplate, params: Mapping[str, float]) -> dict[str, float]:
    """Fill defaults and check every parameter lies within its bounds and on its step."""
    known = {p.id: p for p in template.parameters}
    for name in params:
        if name not in known:
            raise IllegalInput(f"{template.id} has no parameter '{name}'")
    result = {}
    for p in template.parameters:
        value = float(params.get(p.id, p.default))
        if not p.min <= value <= p.max:
            raise IllegalInput(f"{template.id}: {p.id} must lie between {p.min:g} and {p.max:g}")
        steps = (value - p.min) / p.step if p.step else 0
        if abs(steps - round(steps)) > 1e-9:
            raise IllegalInput(f"{template.id}: {p.id} must be {p.min:g} plus a multiple of {p.step:g}")
        result[p.id] = value
    return result


def check_offer(work: Work, seat: str, offer: Offer) -> tuple[PackagePart, ...]:
    """The agreements `offer` proposes, lead first, with their terms filled in; or IllegalInput.
    An offer with a package proposes several agreements between the same parties as one."""
    ids = (offer.template, *(part.template for part in offer.package))
    if len(set(ids)) != len(ids):
        raise IllegalInput(f"a package names {_twice(ids)} twice")
    asked = ((offer.template, offer.params), *((part.template, part.params) for part in offer.package))
    templates = []
    for template_id, _ in asked:
        template = work.game.templates.get(template_id)
        if template is None:
            raise IllegalInput(f"no agreement template '{template_id}'")
        _check_parties(work, seat, offer.parties, template)
        templates.append(template)
    result = []
    with packaged(work, ids):
        for template, (_, given) in zip(templates, asked, strict=True):
            params = check_params(template, given)
            # Proposing is accepting: the proposer must meet the conditions it would need to accept.
            problem = acceptance_problem(work, seat, template, params)
            if problem and not given and template.parameters:
                # Terms left out are the ones the seat's options offered: the defaults, or when the
                # seat would refuse those, the allowed terms nearest them that it accepts.
                other = acceptable_terms(work, seat, template, params)
                if other is not None:
                    params, problem = dict(other[0]), None
            if problem:
                raise IllegalInput(f"{seat} may not propose {template.id}: {problem}")
            result.append(PackagePart(template.id, params))
    return tuple(result)


def _twice(ids: tuple[str, ...]) -> str:
    return next(i for n, i in enumerate(ids) if i in ids[:n])


def _check_parties(work: Work, seat: str, parties: tuple[str, ...], template: AgreementTemplate) -> None:
    problem = template_problem(work.game, work.turn, work.active, seat, template)
    if problem:
        raise IllegalInput(f"{seat} may not propose {template.id}: {problem}")
    if seat not in parties:
        raise IllegalInput(f"{seat} must be a party to its own proposal of {template.id}")
    if len(set(parties)) != len(parties):
        raise IllegalInput(f"{template.id}: a party is named twice")
    for party in parties:
        if party not in work.active:
            raise IllegalInput(f"{template.id}: '{party}' is not at the table")
        if template.eligible and party not in template.eligible:
            raise IllegalInput(f"{template.id}: '{party}' may not be a party")
    if len(parties) < template.min_parties:
        raise IllegalInput(f"{template.id} needs at least {template.min_parties} parties")
    if template.max_parties is not None and len(parties) > template.max_parties:
        raise IllegalInput(f"{template.id} allows at most {template.max_parties} parties")
    if any(a.template == template.id and set(a.parties) == set(parties) for a in work.agreements):
        raise IllegalInput(f"{template.id} between these parties is already in force")
    if any(a.template == template.id and set(a.parties) == set(parties) for a in work.pending):
        raise IllegalInput(f"{template.id} between these parties is signed and awaiting ratification")


@contextmanager
def packaged(work: Work, templates: tuple[str, ...]) -> Iterator[None]:
    """For the checks inside: `in_package(t)` holds for the templates of this package (none when
    a single agreement is offered)."""
    before = work.package
    work.package = frozenset(templates) if len(templates) > 1 else frozenset()
    try:
        yield
    finally:
        work.package = before


def package_acceptance_problem(work: Work, seat: str, proposal: Proposal) -> str | None:
    """Why `seat` cannot accept `proposal` (every agreement in its package), or None."""
    parts = proposal.parts()
    with packaged(work, tuple(part.template for part in parts)):
        for part in parts:
            problem = acceptance_problem(work, seat, work.game.template(part.template), part.params)
            if problem:
                return problem if len(parts) == 1 else f"{work.game.template(part.template).label.get()}: {problem}"
    return None


def check_propose(work: Work, value: Propose) -> None:
    limit = work.scenario.decisions.max_proposals
    if len(value.offers) > limit:
        raise IllegalInput(f"at most {limit} proposals a turn")
    for offer in value.offers:
        check_offer(work, value.seat, offer)


def acceptance_problem(work: Work, seat: str, template: AgreementTemplate, params: Mapping[str, float]) -> str | None:
    """Why `seat` cannot agree to `template` with `params`, or None: its `accept_requires` fails,
    or its breach condition already holds for `seat` at these terms (no one signs a deal it would
    break on the day it comes into force: it must meet the terms to accept them)."""
    breach_when = template.breach.when if template.breach else None
    if template.accept_requires is None and breach_when is None:
        return None
    return _acceptance_problem(work, seat, template, params, work.memo.param_names(params))


def _acceptance_problem(work: Work, seat: str, template: AgreementTemplate, params: Mapping[str, float],
                        extra: Mapping[str, float]) -> str | None:
    """acceptance_problem, given the parameters as formulas read them (`param.<id>`)."""
    breach_when = template.breach.when if template.breach else None
    # The evaluation context called directly (Work.evaluate, one call less): options ask this of
    # every template at every proposal.
    evaluate = work.memo.context.evaluate
    if template.accept_requires is not None and not evaluate(
            work, template.accept_requires, seat, None, extra, f"{template.id}.accept_requires"):
        return template.refusal.get() or "its conditions for accepting are not met"
    if breach_when is not None and evaluate(work, breach_when, seat, None, extra, f"agreements.{template.id}.breach"):
        terms = ", ".join(f"{k} {v:g}" for k, v in params.items())
        return f"it would be in breach at once at these terms{f' ({terms})' if terms else ''}"
    return None


# The most values of one parameter tried when a seat cannot propose a template at its defaults.
_MOST_VALUES = 201


def _grid(p: Parameter) -> list[float]:
    """The allowed values of `p`, or its ends and default when there are too many to try."""
    if p.step and (p.max - p.min) / p.step < _MOST_VALUES:
        return [p.min + k * p.step for k in range(round((p.max - p.min) / p.step) + 1)]
    return sorted({p.min, p.default, p.max})


def acceptable_terms(work: Work, seat: str, template: AgreementTemplate, defaults: Mapping[str, float],
                     words: bool = True) -> tuple | None:
    """Allowed terms `seat` would meet when it does not meet the defaults: ((id, value) ..., words),
    the terms nearest the defaults, or None. One parameter: every allowed value is tried, and the
    words give the ranges that do; several: each one moved alone along its range, then the ends of
    every range together (a few dozen checks at most), and the words give the terms found.
    Without `words` (bots read only the terms) the words are None, and one parameter's values are
    tried nearest first until one does: the same terms, found with a few checks instead of all."""
    params = template.parameters
    grids = {p.id: _grid(p) for p in params}
    spans = {p.id: (p.max - p.min) or 1.0 for p in params}

    def distance(terms: dict[str, float]) -> float:
        return sum(abs(terms[k] - defaults[k]) / spans[k] for k in terms)

    if len(params) == 1 and not words:
        (p,) = params
        nearest_first = sorted(grids[p.id], key=lambda v: (abs(v - defaults[p.id]), v))
        name = f"param.{p.id}"  # each value tried once: its names are made here, not memoised
        found = next((v for v in nearest_first
                      if _acceptance_problem(work, seat, template, {p.id: v}, {name: v}) is None), None)
        return None if found is None else (((p.id, found),), None)
    if len(params) == 1:
        (p,) = params
        good = [v for v in grids[p.id] if acceptance_problem(work, seat, template, {p.id: v}) is None]
        if not good:
            return None
        best = min(good, key=lambda v: (abs(v - defaults[p.id]), v))
        runs: list[list[float]] = []
        for v in good:
            index = grids[p.id].index(v)
            if runs and grids[p.id].index(runs[-1][-1]) == index - 1:
                runs[-1].append(v)
            else:
                runs.append([v])
        ranges = " or ".join(f"{r[0]:g}" if len(r) == 1 else f"{r[0]:g}–{r[-1]:g}" for r in runs)
        return ((p.id, best),), f"{p.id} {ranges}"
    candidates = [dict(defaults, **{p.id: v}) for p in params for v in grids[p.id]]
    if len(params) <= 6:
        corners: list[dict[str, float]] = [{}]
        for p in params:
            corners = [dict(c, **{p.id: end}) for c in corners for end in (p.min, p.max)]
        candidates += corners
    for terms in sorted(candidates, key=lambda t: (distance(t), tuple(t.values()))):
        if acceptance_problem(work, seat, template, terms) is None:
            chosen = tuple((p.id, terms[p.id]) for p in params)
            return chosen, "e.g. " + ", ".join(f"{k} {v:g}" for k, v in chosen) if words else None
    return None


def check_respond(work: Work, value: Respond) -> None:
    waiting = {p.id: p for p in work.proposals if value.seat in p.awaiting()}
    answered = set()
    for reply in value.replies:
        proposal = waiting.get(reply.proposal)
        if proposal is None:
            raise IllegalInput(f"proposal {reply.proposal} is not awaiting an answer from {value.seat}")
        if reply.proposal in answered:
            raise IllegalInput(f"proposal {reply.proposal} is answered twice")
        answered.add(reply.proposal)
        if reply.answer is Answer.ACCEPT:
            problem = in_force_problem(work, proposal) or package_acceptance_problem(work, value.seat, proposal)
            if problem:
                raise IllegalInput(f"{value.seat} cannot accept {proposal.template}: {problem}")
        if reply.answer is Answer.COUNTER:
            counter_parts(work, proposal, reply.params)


def counter_parts(work: Work, proposal: Proposal, params: Mapping[str, float]) -> tuple[PackagePart, ...]:
    """The agreements a counter to `proposal` with `params` proposes, lead first.

    Alone: `params` are the new terms (those left out take their defaults). A package: a key
    `template.parameter` names a term of one of its agreements, a plain key one of the lead's,
    and every term not named stays as proposed."""
    if not proposal.package:
        return (PackagePart(proposal.template, check_params(work.game.template(proposal.template), params)),)
    parts = proposal.parts()
    changes: dict[str, dict[str, float]] = {part.template: {} for part in parts}
    for key, value in params.items():
        template_id, dot, name = key.rpartition(".")
        if not dot:
            template_id, name = proposal.template, key
        if template_id not in changes:
            raise IllegalInput(f"the package of proposal {proposal.id} holds no agreement '{template_id}'")
        changes[template_id][name] = value
    return tuple(PackagePart(part.template, check_params(work.game.template(part.template),
                                                         {**part.params, **changes[part.template]}))
                 for part in parts)


# -- completing rounds ------------------------------------------------------------------------


def complete_propose(work: Work) -> None:
    for seat in work.layout.actor_ids:
        submission = work.submissions.get(seat)
        if submission is None:
            continue
        assert isinstance(submission, Propose)  # the only input the propose phase takes
        for offer in submission.offers:
            try:
                parts = check_offer(work, seat, offer)
            except IllegalInput as problem:
                # Legal when submitted, but the facilitator has changed the world since: the offer
                # is void (told to its maker), and the talks go on without it.
                template = work.game.templates[offer.template]
                work.say(events.OfferVoided(seat, offer.template, str(problem)),
                         phrase("void", work.scenario.languages, actor=work.game.actor(seat).name,
                                template=template.label, reason=str(problem)), (seat,))
                continue
            proposal = Proposal(work.new_id(), offer.template, seat, offer.parties, parts[0].params,
                                package=parts[1:])
            work.proposals.append(proposal)
            _say_proposal(work, proposal, "proposed")
    work.submissions = {}
    work.talk_round = 1
    work.phase = Phase.RESPOND


def complete_respond(work: Work) -> None:
    """Apply every answer; sign what all parties accepted; counters become new proposals."""
    answers: dict[int, dict[str, tuple]] = {}
    for seat in work.layout.actor_ids:
        submission = work.submissions.get(seat)
        assert submission is None or isinstance(submission, Respond)  # the only input the respond phase takes
        for reply in submission.replies if submission else ():
            answers.setdefault(reply.proposal, {})[seat] = (reply.answer, reply.params)
    remaining = []
    for proposal in work.proposals:
        given = answers.get(proposal.id, {})
        responses = dict(proposal.responses)
        counters = []
        label = proposal_label(work, proposal)
        for seat in proposal.awaiting():
            # A seat that says nothing to a proposal addressed to it rejects it.
            answer, params = given.get(seat, _SILENCE)
            responses[seat] = answer
            kind = "accepted" if answer is Answer.ACCEPT else "rejected"  # a counter rejects this one
            _say(work, proposal, kind, by=seat, actor=work.game.actor(seat).name, template=label)
            if answer is Answer.COUNTER:
                counters.append((seat, params))
        if all(responses.get(p) is Answer.ACCEPT for p in proposal.parties if p != proposal.proposer):
            problem = in_force_problem(work, proposal)
            if problem:
                # Both sides proposed the same agreement and both were accepted this round: the
                # first one signed stands; this one lapses, and its parties are told why — in
                # force, or signed and still awaiting ratification (not in force: it binds no one).
                _say_lapse(work, proposal, "lapsed_duplicate" if problem == IN_FORCE else "lapsed_duplicate_pending")
            else:
                sign(work, proposal)
            continue
        for seat, params in counters:
            parts = counter_parts(work, proposal, params)
            counter = Proposal(
                work.new_id(),
                proposal.template,
                seat,
                proposal.parties,
                parts[0].params,
                counter_to=proposal.id,
                package=parts[1:],
            )
            remaining.append(counter)
            _say_proposal(work, counter, "countered")
    work.proposals = remaining
    work.submissions = {}
    work.talk_round += 1


# The answer of a seat that says nothing to a proposal (a rejection: its params are never read).
_SILENCE: tuple[Answer, Mapping[str, float]] = (Answer.REJECT, {})


def lapse_open_proposals(work: Work) -> None:
    """The talks are over: proposals still open lapse. These are the counters made in the last
    round, which no round is left to answer: their parties are told so."""
    for proposal in work.proposals:
        if proposal.counter_to is not None:
            _say_lapse(work, proposal, "lapsed_talks_over")
        else:
            _say(work, proposal, "lapsed", template=proposal_label(work, proposal))
    work.proposals = []


def in_force_problem(work: Work, proposal: Proposal) -> str | None:
    """Why `proposal` can no longer be accepted because the same agreement between the same
    parties came into force since it was made (e.g. both sides proposed it), or None."""
    parties = set(proposal.parties)
    templates = {part.template for part in proposal.parts()} if proposal.package else {proposal.template}
    if any(a.template in templates and set(a.parties) == parties for a in work.agreements):
        return IN_FORCE
    if any(a.template in templates and set(a.parties) == parties for a in work.pending):
        return AWAITING_RATIFICATION
    return None


# The two reasons in_force_problem gives (also the options' reason a proposal cannot be accepted).
IN_FORCE = "already in force between these parties"
AWAITING_RATIFICATION = "already signed between these parties, awaiting ratification"


def _say_lapse(work: Work, proposal: Proposal, key: str) -> None:
    actor = work.game.actor(proposal.proposer).name
    label = proposal_label(work, proposal)
    work.say(events.TalksNews(proposal.id, "lapsed", _templates(proposal)),
             phrase(key, work.scenario.languages, actor=actor, template=label), proposal.parties)


def sign(work: Work, proposal: Proposal) -> None:
    """Sign what every party accepted: one agreement, or every agreement of a package together.
    An agreement that needs ratification (or a package holding one) waits for it, not in force."""
    parts = proposal.parts()
    if len(parts) == 1 and work.game.template(proposal.template).ratification is None:
        _enter_into_force(work, _new_agreement(work, parts[0], proposal.parties, None))
        return
    package = None
    agreements = []
    for part in parts:
        agreement = _new_agreement(work, part, proposal.parties, package)
        if len(parts) > 1 and package is None:
            package = agreement.id
            agreement = attrs.evolve(agreement, package=package)
        agreements.append(agreement)
    templates = [work.game.template(part.template) for part in parts]
    waits = [t.ratification.turns for t in templates if t.ratification is not None]
    names = [work.game.actor(p).name for p in proposal.parties]
    languages = work.scenario.languages
    if len(parts) > 1:
        work.say(events.PackageSigned(tuple(p.template for p in parts), proposal.parties, package or 0),
                 phrase("package_signed", languages, templates=[t.label for t in templates], parties=names))
    if not waits:
        for agreement in agreements:
            _enter_into_force(work, agreement)
        return
    # Ratified as one: the package waits as long as its slowest part.
    ratify_turn = work.turn + max(waits)
    ratifiers = [work.game.actor(a).name for a in _ratifiers(templates, proposal.parties)]
    work.pending.extend(attrs.evolve(a, ratify_turn=ratify_turn) for a in agreements)
    label = templates[0].label if len(templates) == 1 else package_label(work, [t.id for t in templates])
    work.say(events.AgreementPending(tuple(p.template for p in parts), proposal.parties, ratify_turn),
             phrase("signed_pending", languages, template=label, parties=names, actors=ratifiers,
                    turn=ratify_turn))


def _new_agreement(work: Work, part: PackagePart, parties: tuple[str, ...], package: int | None) -> Agreement:
    return Agreement(work.new_id(), part.template, parties, part.params, work.turn, None, package)


def _ratifiers(templates, parties: tuple[str, ...]) -> list[str]:
    """The parties whose ratification the agreements need, in the order the parties are named."""
    needed = {a for t in templates if t.ratification is not None for a in t.ratification.actors}
    return [p for p in parties if p in needed]


def _enter_into_force(work: Work, agreement: Agreement) -> None:
    """`agreement` (signed this turn, or ratified) comes into force: in force for `duration`
    resolutions, this turn's and the ones after it; its on_sign effects apply now."""
    template = work.game.template(agreement.template)
    expires = work.turn + template.duration - 1 if template.duration else None
    agreement = attrs.evolve(agreement, expires_turn=expires, ratify_turn=None) if (
        agreement.expires_turn != expires or agreement.ratify_turn is not None) else agreement
    work.agreements.append(agreement)
    names = [work.game.actor(p).name for p in agreement.parties]
    key = "signed" if agreement.signed_turn == work.turn else "ratified"
    work.say(events.AgreementSigned(template.id, agreement.parties),
             phrase(key, work.scenario.languages, template=template.label, parties=names))
    extra = work.memo.param_names(agreement.params)
    apply_effects(
        work, template.on_sign, parties=agreement.parties, extra=extra, where=f"agreements.{template.id}.on_sign"
    )


def decide_ratifications(work: Work) -> None:
    """At the start of a turn's talks: every agreement (or package) whose ratification falls due
    enters into force if each ratifying party's `requires` holds, read as that party; else it
    lapses, and the log names the first that failed and why."""
    if not any(a.ratify_turn is not None and a.ratify_turn <= work.turn for a in work.pending):
        return
    due: dict[int, list[Agreement]] = {}
    waiting = []
    for agreement in work.pending:
        if agreement.ratify_turn is not None and agreement.ratify_turn <= work.turn:
            due.setdefault(agreement.package or agreement.id, []).append(agreement)
        else:
            waiting.append(agreement)
    work.pending = waiting
    for group in due.values():
        failure = _ratification_failure(work, group)
        if failure is None:
            for agreement in group:
                _enter_into_force(work, agreement)
            continue
        actor, template, reason = failure
        label = template.label if len(group) == 1 else package_label(work, [a.template for a in group])
        work.say(events.RatificationFailed(tuple(a.template for a in group), group[0].parties, actor, reason),
                 phrase("ratification_failed", work.scenario.languages, template=label, reason=reason))


def _ratification_failure(work: Work, group: list[Agreement]) -> tuple[str, AgreementTemplate, str] | None:
    """The first (party, template, reason) whose ratification fails, or None when all hold."""
    for agreement in group:
        template = work.game.template(agreement.template)
        rule = template.ratification
        if rule is None:
            continue
        extra = work.memo.param_names(agreement.params)
        for actor in agreement.parties:
            if actor not in rule.actors:
                continue
            if not work.evaluate(rule.requires, actor, None, extra, f"agreements.{template.id}.ratification.requires"):
                name = work.game.actor(actor).name.get()
                reason = rule.text.get() or f"{name} did not ratify it"
                return actor, template, reason
    return None


def end_package_partners(work: Work, packages: set[int]) -> None:
    """A package stands or falls together: when a detected breach ends one of its agreements,
    the others signed with it end too (called by resolution after its breach checks)."""
    kept = []
    for agreement in work.agreements:
        if agreement.package is not None and agreement.package in packages:
            template = work.game.template(agreement.template)
            work.say(events.AgreementEnded(template.id, collapsed=True),
                     phrase("package_collapsed", work.scenario.languages, template=template.label))
        else:
            kept.append(agreement)
    work.agreements = kept


def proposal_label(work: Work, proposal: Proposal):
    """What a proposal offers, in words: its template's label, or the package's."""
    if proposal.package:
        return package_label(work, [part.template for part in proposal.parts()])
    return work.game.template(proposal.template).label


def package_label(work: Work, templates: list[str]):
    """The words for a package of these templates ("a package of X and Y")."""
    return phrase("package_label", work.scenario.languages,
                  templates=[work.game.template(t).label for t in templates])


def _say(work: Work, proposal: Proposal, key: str, by: str | None = None, **args) -> None:
    work.say(events.TalksNews(proposal.id, key, _templates(proposal), by), phrase(key, work.scenario.languages, **args),
             proposal.parties)


def _templates(proposal: Proposal) -> tuple[str, ...]:
    return tuple(part.template for part in proposal.parts())


def _say_proposal(work: Work, proposal: Proposal, key: str) -> None:
    others = [work.game.actor(p).name for p in proposal.parties if p != proposal.proposer]
    if proposal.package:
        label = package_label(work, [part.template for part in proposal.parts()])
        params = "; ".join(
            f"{work.game.template(part.template).label.get()}: "
            + (", ".join(f"{k} {v:g}" for k, v in part.params.items()) or "-") for part in proposal.parts())
    else:
        label = work.game.template(proposal.template).label
        params = ", ".join(f"{k} {v:g}" for k, v in proposal.params.items()) or "-"
    _say(
        work, proposal, key, actor=work.game.actor(proposal.proposer).name,
        template=label, parties=others, params=params,
    )
