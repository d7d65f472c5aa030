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


def _reference(weight, batches, grad_of, lr, betas, eps, maximize=False, rows_of=lambda batch: batch):
    """SparseAdam written from its formula: the rows a batch reaches get Adam's moments and step, t counting steps."""
    weight = weight.copy()
    m, v = np.zeros_like(weight), np.zeros_like(weight)
    for t, batch in enumerate(batches, start=1):
        g = grad_of(weight, batch) * (-1 if maximize else 1)
        rows = sorted(set(rows_of(batch)))
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


def _masked_steps(lib, table, opt, steps):
    """sum((table(idx) * mask) ** 2) per step: a masked row is looked up, its gradient exactly zero."""
    for idx, mask in steps:
        opt.zero_grad()
        out = table(lib.tensor(idx)) * lib.tensor(mask, dtype=lib.float64)[:, None]
        (out ** 2).sum().backward()
        opt.step()
    return table.weight.detach().numpy()


MASKED_STEPS = [([1, 2], [1.0, 1.0]), ([1, 2], [1.0, 0.0]), ([3, 2, 0], [1.0, 0.0, 1.0])]


def test_a_row_looked_up_with_a_zero_gradient_is_updated_as_pytorchs():
    """PyTorch's sparse gradient lists every row looked up, so a masked row's moments decay and it moves on its
    momentum; the dense stand-in gradient is zero there, and the lookup's rows say which rows to update."""
    table = nn.Embedding(5, 2, sparse=True, dtype=np.float64)
    start = np.arange(10.0).reshape(5, 2) / 10
    with ag.no_grad():
        table.weight.copy_(ag.tensor(start))
    got = _masked_steps(ag, table, nn.optim.SparseAdam(table.parameters(), lr=0.1), MASKED_STEPS)

    def grad_of(weight, step):  # 2 w_r mask_r^2 for the rows looked up
        (idx, mask) = step
        g = np.zeros_like(weight)
        np.add.at(g, idx, 2 * weight[idx] * np.square(mask)[:, None])
        return g
    want = _reference(start, MASKED_STEPS, grad_of, 0.1, (0.9, 0.999), 1e-8, rows_of=lambda step: step[0])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-15)
    assert not np.allclose(got[2], start[2])  # row 2 moved at steps 2 and 3 on its momentum alone
    np.testing.assert_array_equal(got[4], start[4])  # never looked up
    if torch is not None:
        table_t = torch.nn.Embedding(5, 2, sparse=True, dtype=torch.float64)
        with torch.no_grad():
            table_t.weight.copy_(torch.tensor(start))
        want_t = _masked_steps(torch, table_t, torch.optim.SparseAdam(table_t.parameters(), lr=0.1), MASKED_STEPS)
        np.testing.assert_allclose(got, want_t, rtol=0, atol=1e-15)


def test_the_rows_listed_are_the_current_gradients():
    """A fresh .grad lists only its own backward's rows (an earlier backward's, its gradient discarded, are not
    updated); a backward adding into .grad adds its rows; the padding row is never listed, as PyTorch's."""
    from nn._sparse_rows import looked_up_rows
    table = nn.Embedding(6, 2, sparse=True, padding_idx=0, dtype=np.float64)
    (table(ag.tensor([1, 2])) * 0.0).sum().backward()
    np.testing.assert_array_equal(looked_up_rows(table.weight), [1, 2])
    table.zero_grad()
    table(ag.tensor([3, 0])).sum().backward()  # fresh: 1 and 2 dropped, the padding row 0 not listed
    np.testing.assert_array_equal(looked_up_rows(table.weight), [3])
    table(ag.tensor([[4], [3]])).sum().backward()  # added into .grad
    np.testing.assert_array_equal(looked_up_rows(table.weight), [3, 4])
    table.zero_grad(set_to_none=False)
    (table(ag.tensor([5])) * 2).sum().backward()  # zeroed in place: fresh too
    np.testing.assert_array_equal(looked_up_rows(table.weight), [5])
    dense = nn.Embedding(6, 2, dtype=np.float64)
    dense(ag.tensor([1])).sum().backward()
    assert looked_up_rows(dense.weight) is None  # sparse=False: nothing noted
    with ag.no_grad():
        table(ag.tensor([2]))  # no backward reaches it: nothing noted, no hook left waiting
    assert looked_up_rows(table.weight).tolist() == [5]


def test_an_embedding_bag_row_weighted_by_zero_is_updated_as_pytorchs():
    """EmbeddingBag(sparse=True): every row in a bag is listed (a per-sample weight of 0 included), the padding row
    not, as PyTorch's sparse gradient."""
    start = np.arange(12.0).reshape(6, 2) / 10
    steps = [([1, 2, 3, 0], [1.0, 1.0, 1.0, 1.0]), ([1, 2, 0, 4], [1.0, 0.0, 1.0, 0.0])]

    def run(lib, module, opt_cls):
        bag = module(6, 2, mode="sum", sparse=True, padding_idx=0, dtype=lib.float64)
        with lib.no_grad():
            bag.weight.copy_(lib.tensor(start))
        opt = opt_cls(bag.parameters(), lr=0.1)
        for idx, weights in steps:
            opt.zero_grad()
            out = bag(lib.tensor(idx), lib.tensor([0, 2]), per_sample_weights=lib.tensor(weights, dtype=lib.float64))
            (out ** 2).sum().backward()
            opt.step()
        return bag.weight.detach().numpy()
    got = run(ag, nn.EmbeddingBag, nn.optim.SparseAdam)
    np.testing.assert_array_equal(got[[0, 5]], start[[0, 5]])  # the padding row, and a row never looked up
    moved_once = start[2] - 0.1 * np.sign(start[2])  # step 1: Adam's first step is lr * sign(g)
    assert np.all(np.abs(got[2] - moved_once) > 0.05)  # step 2: row 2, weighted by 0, moved on its momentum
    if torch is not None:
        want = run(torch, torch.nn.EmbeddingBag, torch.optim.SparseAdam)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-15)
