"""The time loop of a recurrent layer over a PackedSequence (nn/recurrent.py runs the layers and directions): each
sequence steps over its own length only. Packed data (sum of the lengths, G) holds step t's rows for the
batch_sizes[t] longest sequences, longest first, so a state's rows are the sorted sequences and a sequence that has
ended is the last rows: forwards, the rows of the sequences that end are set aside as their final states and the
state shrinks; backwards, the state grows by the initial states of the sequences that start.

Every step is a composition of engine operations (slices, concatenate and the layer's step), as the unpacked loop
is, so gradients and second derivatives are the engine's.
"""
import math

import numpy as np

import autograd_core as ag


def packed_steps(projected, batch_sizes):
    """[the rows of time step t for every t] of packed data (S, G), taken through blocks of about sqrt(L) steps
    (L = len(batch_sizes)) for the reason recurrent._time_steps gives: a slice's gradient is a scatter into zeros of
    its source's shape, so L slices of the whole data would cost O(L * S) in the backward pass."""
    ends = np.cumsum(batch_sizes)
    starts = ends - batch_sizes
    length = len(batch_sizes)
    if length <= 16:
        return [projected[int(a):int(b)] for a, b in zip(starts, ends)]
    size = math.isqrt(length - 1) + 1  # ceil(sqrt(length))
    steps = []
    for first in range(0, length, size):
        last = min(first + size, length) - 1
        block = projected[int(starts[first]):int(ends[last])]
        steps += [block[int(starts[t] - starts[first]):int(ends[t] - starts[first])] for t in range(first, last + 1)]
    return steps


def packed_direction(advance, projected, batch_sizes, state, reverse):
    """One layer in one direction over packed data: projected (S, G), the input's projection W_ih x + b_ih;
    state a tuple of (N, H_s) initial states of the N = batch_sizes[0] sorted sequences; advance(x_t, state) one
    step. Returns (the outputs h_t packed as the input is, (S, H), and the final states, each sequence's at its
    last step when forwards, at step 0 when backwards)."""
    steps = packed_steps(projected, batch_sizes)
    outputs = [None] * len(steps)
    if reverse:
        initial = state
        if batch_sizes[-1] < batch_sizes[0]:
            state = tuple(s[:int(batch_sizes[-1])] for s in initial)
        for t in range(len(steps) - 1, -1, -1):
            running, have = int(batch_sizes[t]), state[0].shape[0]
            if have < running:  # sequences that start here, from their initial states
                state = tuple(ag.concatenate([s, s0[have:running]], axis=0) for s, s0 in zip(state, initial))
            state = advance(steps[t], state)
            outputs[t] = state[0]
        return ag.concatenate(outputs, axis=0), state
    ended = []  # the final states of the sequences that ended, the shortest first
    for t, x_t in enumerate(steps):
        running = int(batch_sizes[t])
        if state[0].shape[0] > running:
            ended.append(tuple(s[running:] for s in state))
            state = tuple(s[:running] for s in state)
        state = advance(x_t, state)
        outputs[t] = state[0]
    if ended:
        pieces = [state] + ended[::-1]
        state = tuple(ag.concatenate([piece[i] for piece in pieces], axis=0) for i in range(len(state)))
    return ag.concatenate(outputs, axis=0), state
