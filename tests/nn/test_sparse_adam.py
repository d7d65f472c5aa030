"""nn.optim.SparseAdam: the lazy Adam of embedding tables, against a NumPy reference of its rule and torch's."""
import math

import numpy as np
import pytest

import autograd_core as ag
import nn

try:
    import torch
except ImportError:  # the NumPy reference still checks the rule
    torch = None

BATCHES = [[1, 3, 3], [0, 1], [4, 4, 1], [3]]


def _reference(weight, batches, grad_of, lr, betas, eps, maximize=False):
    """SparseAdam written from its formula: the rows a batch reaches get Adam's moments and step, t counting steps."""
    weight = weight.copy()
    m, v = np.zeros_like(weight), np.zeros_like(weight)
    for t, batch in enumerate(batches, start=1):
        g = grad_of(weight, batch) * (-1 if maximize else 1)
        rows = sorted(set(batch))
        m[rows] = m[rows] + (g[rows] - m[rows]) * (1 - betas[0])
        v[rows] = v[rows] + (g[rows] ** 2 - v[rows]) * (1 - betas[1])
        step_size = lr * math.sqrt(1 - betas[1] ** t) / (1 - betas[0] ** t)
        weight[rows] += -step_size * (m[rows] / (np.sqrt(v[rows]) + eps))
    return weight


def _squared_lookups(weight, batch):
    """The gradient of sum(table(batch) ** 2): 2 w_r for each time row r is looked up."""
    g = np.zeros_like(weight)
    np.add.at(g, batch, 2 * weight[batch])
    return g


def _train(table, opt, batches):
    for batch in batches:
        opt.zero_grad()
        (table(ag.tensor(batch)) ** 2).sum().backward()
        opt.step()
    return table.weight.data


@pytest.mark.parametrize("maximize", [False, True])
def test_rows_looked_up_follow_the_rule_and_the_others_stay(maximize):
    table = nn.Embedding(6, 3, sparse=True, rng=0, dtype=np.float64)
    start = table.weight.data.copy()
    opt = nn.optim.SparseAdam(table.parameters(), lr=0.05, betas=(0.8, 0.9), eps=1e-6, maximize=maximize)
    got = _train(table, opt, BATCHES)
    want = _reference(start, BATCHES, _squared_lookups, 0.05, (0.8, 0.9), 1e-6, maximize)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-15)
    assert np.array_equal(got[2], start[2]) and np.array_equal(got[5], start[5])  # never looked up
    assert opt.state[table.weight]["step"] == len(BATCHES)


def test_differs_from_adam_where_a_row_is_not_looked_up():
    tables = [nn.Embedding(5, 2, rng=0, dtype=np.float64) for _ in range(2)]
    lazy = _train(tables[0], nn.optim.SparseAdam(tables[0].parameters(), lr=0.1), BATCHES[:2])
    dense = _train(tables[1], nn.optim.Adam(tables[1].parameters(), lr=0.1), BATCHES[:2])
    assert np.array_equal(lazy[0], tables[0].weight.data[0]) and not np.array_equal(lazy[3], dense[3])  # 3: step 1 only


def test_zero_dimensional_and_empty_parameters():
    w = ag.tensor(2.0, requires_grad=True)
    opt = nn.optim.SparseAdam([w], lr=0.1)
    (w * w).backward()
    opt.step()
    assert w.item() == pytest.approx(2.0 - 0.1 * math.sqrt(1 - 0.999) / (1 - 0.9) * 0.4 / (math.sqrt(0.016) + 1e-8))
    empty = ag.tensor(np.zeros((0, 3)), requires_grad=True)
    opt = nn.optim.SparseAdam([empty])
    (empty * empty).sum().backward()
    opt.step()
    assert empty.shape == (0, 3) and opt.state[empty]["step"] == 1


@pytest.mark.parametrize("bad, message", [(dict(lr=0.0), "lr=0.0"), (dict(eps=0), "eps=0"),
                                          (dict(betas=(1.0, 0.9)), "betas"), (dict(lr="fast"), "lr='fast'")])
def test_bad_hyper_parameters_are_named(bad, message):
    with pytest.raises((ValueError, TypeError), match=message):
        nn.optim.SparseAdam([ag.tensor([1.0], requires_grad=True)], **bad)


def test_state_dict_round_trip_resumes_the_same_path():
    tables = [nn.Embedding(6, 3, sparse=True, rng=1, dtype=np.float64) for _ in range(2)]
    opts = [nn.optim.SparseAdam(t.parameters(), lr=0.05) for t in tables]
    _train(tables[0], opts[0], BATCHES)
    _train(tables[1], opts[1], BATCHES[:2])
    resumed_table = nn.Embedding(6, 3, sparse=True, rng=2, dtype=np.float64)
    resumed_table.load_state_dict(tables[1].state_dict())
    resumed = nn.optim.SparseAdam(resumed_table.parameters(), lr=0.05)
    resumed.load_state_dict(opts[1].state_dict())
    assert np.array_equal(_train(resumed_table, resumed, BATCHES[2:]), tables[0].weight.data)


@pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_equals_torch_sparse_adam_on_a_sparse_embedding(dtype):
    table = nn.Embedding(7, 4, sparse=True, padding_idx=0, rng=3, dtype=dtype)
    theirs = torch.nn.Embedding(7, 4, sparse=True, padding_idx=0).to(getattr(torch, np.dtype(dtype).name))
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(table.weight.data.copy()))
    opt = nn.optim.SparseAdam(table.parameters(), lr=0.01, betas=(0.85, 0.99))
    their_opt = torch.optim.SparseAdam(theirs.parameters(), lr=0.01, betas=(0.85, 0.99))
    for batch in [[1, 0, 3, 3], [2, 6], [0, 6, 6, 1]]:
        opt.zero_grad()
        their_opt.zero_grad()
        (table(ag.tensor(batch)) ** 3).sum().backward()
        (theirs(torch.tensor(batch)) ** 3).sum().backward()
        opt.step()
        their_opt.step()
    np.testing.assert_allclose(table.weight.data, theirs.weight.detach().numpy(), rtol=2e-7 if dtype is np.float32
                               else 1e-15, atol=0)
