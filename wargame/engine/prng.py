"""The engine's own PRNG: splitmix64 (Steele, Lea and Flood, 2014).

Its whole state is one 64-bit integer kept in `GameState.rng`, and it is plain integer arithmetic, so
a seed gives the same numbers on every Python version and platform. The `random` module is not used:
its algorithms may change between versions and its state does not fit in one field.
"""

from __future__ import annotations

MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def seed_state(seed: int) -> int:
    """The PRNG state for a seed (any integer; negative seeds wrap)."""
    return seed & MASK


def next_value(state: int) -> tuple[int, int]:
    """Advance the state; return the new state and a 64-bit output."""
    state = (state + _GOLDEN) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def below(state: int, bound: int) -> tuple[int, int]:
    """Advance the state; return the new state and a number in `range(bound)`.

    The modulo bias is below 2**-57 for the small bounds a game uses.
    """
    state, value = next_value(state)
    return state, value % bound


def shuffle(state: int, items: list[str]) -> int:
    """Shuffle in place (Fisher-Yates, each swap drawn by `below`); return the new state."""
    # `next_value` and `below` written out: a game shuffles a pile of some forty cards, three calls
    # a card otherwise.
    for i in range(len(items) - 1, 0, -1):
        state = (state + _GOLDEN) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        j = (z ^ (z >> 31)) % (i + 1)
        items[i], items[j] = items[j], items[i]
    return state
