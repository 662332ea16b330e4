"""The functions scenario expressions may call (declared in `engine.names.FUNCTIONS`)."""

from __future__ import annotations

from engine.expressions import ExpressionEvalError
from engine.names import FunctionTable
from engine.work import Work


def function_table(work: Work, self_actor: str | None) -> FunctionTable:
    """Closures over one working state and one `self`; cached on the Work by the caller."""
    layout = work.layout
    tracks = work.tracks

    def active() -> list[str]:
        return [a for a in layout.actor_ids if a in work.active]

    def actor_values(track: str, include_self: bool = True) -> list[float]:
        return [
            tracks[layout.slot(track, a)] for a in active() if include_self or a != self_actor
        ]

    def pair_values(track: str, only_self: bool = False) -> list[float]:
        values = []
        seats = active()
        for i, a in enumerate(seats):
            for b in seats[i + 1 :]:
                if not only_self or self_actor in (a, b):
                    values.append(tracks[layout.slot(track, a, b)])
        return values

    def need_self(name: str) -> str:
        if self_actor is None:
            raise ExpressionEvalError(f"{name}() needs an actor, and there is none here")
        return self_actor

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    def played(move: str, include_self: bool = True) -> float:
        return float(
            sum(1 for actor, m in work.last_played if m == move and (include_self or actor != self_actor))
        )

    return {
        "total": lambda t: float(sum(actor_values(t))),
        "highest": lambda t: max(actor_values(t), default=0.0),
        "lowest": lambda t: min(actor_values(t), default=0.0),
        "others_max": lambda t: (need_self("others_max"), max(actor_values(t, False), default=0.0))[1],
        "others_min": lambda t: (need_self("others_min"), min(actor_values(t, False), default=0.0))[1],
        "others_sum": lambda t: (need_self("others_sum"), float(sum(actor_values(t, False))))[1],
        "pair_avg": lambda t: mean(pair_values(t)),
        "pair_max": lambda t: max(pair_values(t), default=0.0),
        "self_pair_avg": lambda t: (need_self("self_pair_avg"), mean(pair_values(t, True)))[1],
        "in_force": lambda template: any(a.template == template for a in work.agreements),
        "party_to": lambda template: any(
            a.template == template and need_self("party_to") in a.parties for a in work.agreements
        ),
        "agreements": lambda system=None: float(
            sum(
                1
                for a in work.agreements
                if system is None or work.game.template(a.template).system == system
            )
        ),
        "played": lambda move: played(move),
        "others_played": lambda move: (need_self("others_played"), played(move, False))[1],
        "is_active": lambda actor: actor in work.active,
        "actors": lambda: float(len(active())),
        "in_crisis": lambda: work.crisis is not None,
        "is_self": lambda actor: actor == self_actor,
    }
