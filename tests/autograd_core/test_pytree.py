"""autograd_core/pytree.py: flatten, its rebuild, leaf_paths, tree_map and flatten_up_to over the containers JAX's
and torch.func's pytrees take (tuples, lists, dicts, namedtuples, OrderedDicts, defaultdicts); everything else is a
leaf."""
import collections

import numpy as np

import pytest

from autograd_core.pytree import flatten, flatten_up_to, is_container, leaf_paths, tree_map

Point = collections.namedtuple("Point", "x y")


def test_flatten_and_unflatten_round_trip_every_container_type():
    tree = {"a": [1.0, (2.0, Point(3.0, 4.0))], "b": collections.OrderedDict(c=5.0),
            "d": collections.defaultdict(list, e=6.0), "f": None, "g": "text"}
    leaves, unflatten = flatten(tree)
    assert leaves == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, None, "text"]
    rebuilt = unflatten(leaves)
    assert rebuilt == tree and rebuilt is not tree
    assert type(rebuilt["a"][1][1]) is Point and type(rebuilt["b"]) is collections.OrderedDict
    assert rebuilt["d"].default_factory is list


def test_leaves_keep_the_dicts_key_order_not_sorted():
    assert flatten({"z": 1, "a": 2})[0] == [1, 2]


def test_is_leaf_stops_the_walk_and_other_types_are_leaves():
    class Mapping(dict):
        pass

    leaves, _ = flatten({"w": [1.0, 2.0], "m": Mapping(k=1)}, is_leaf=lambda v: type(v) is list)
    assert leaves[0] == [1.0, 2.0] and type(leaves[1]) is Mapping
    assert not is_container(np.ones(2)) and not is_container(Mapping()) and is_container(Point(1, 2))


def test_leaf_paths_index_as_python_would():
    tree = {"layers": [Point(1.0, 2.0)], "b": 3.0}
    assert leaf_paths(tree, "params") == ["params['layers'][0].x", "params['layers'][0].y", "params['b']"]


def test_tree_map_keeps_the_structure():
    assert tree_map(lambda v: v + 1, (1, [2, {"k": 3}])) == (2, [3, {"k": 4}])


def test_flatten_up_to_gives_the_parts_at_the_structures_leaves_in_flattens_order():
    structure = {"w": [0.0, Point(0.0, 0.0)], "b": 0.0}
    tree = {"w": [[1.0, 2.0], Point({"deeper": 3.0}, 4.0)], "b": (5.0,)}
    assert flatten_up_to(structure, tree) == [[1.0, 2.0], {"deeper": 3.0}, 4.0, (5.0,)]
    assert len(flatten_up_to(structure, tree)) == len(flatten(structure)[0])
    # is_leaf applies to the structure: a list it calls a leaf takes any part, and a tree's list may be split
    assert flatten_up_to([1.0, 2.0], {"a": 1}, is_leaf=lambda v: type(v) is list) == [{"a": 1}]
    assert flatten_up_to((0.0, 0.0), (1.0, [2.0, 3.0])) == [1.0, [2.0, 3.0]]
    # a dict's parts are read by key, as JAX's (which sorts them): its order in tree does not matter
    assert flatten_up_to({"w": 0.0, "b": 0.0}, {"b": 2.0, "w": 1.0}) == [1.0, 2.0]


@pytest.mark.parametrize("tree, message", [
    ({"w": [1.0, Point(2.0, 3.0)]}, r"t is a dict with keys \['w'\], not a dict with keys \['w', 'b'\]"),
    ({"w": [1.0, (2.0, 3.0)], "b": 4.0}, r"t\['w'\]\[1\] is a tuple of length 2, not a Point with keys \['x', 'y'\]"),
    ({"w": (1.0, Point(2.0, 3.0)), "b": 4.0}, r"t\['w'\] is a tuple of length 2, not a list of length 2"),
    ({"w": 1.0, "b": 4.0}, r"t\['w'\] is a float, not a list of length 2"),
])
def test_flatten_up_to_names_the_first_path_where_the_tree_differs(tree, message):
    with pytest.raises(ValueError, match=message):
        flatten_up_to({"w": [0.0, Point(0.0, 0.0)], "b": 0.0}, tree, root="t")


# ---- ravel_pytree: one vector for a tree of arrays (jax.flatten_util.ravel_pytree, HIPS's misc.flatten) ----------

def test_ravel_pytree_joins_leaves_in_flatten_order_and_unravel_restores_shapes_and_dtypes():
    from autograd_core.pytree import ravel_pytree
    tree = {"w": np.arange(6.0).reshape(2, 3), "b": [np.float32(6.0), None], "n": np.array([7, 8])}
    vector, unravel = ravel_pytree(tree)
    np.testing.assert_array_equal(vector, np.arange(9.0))
    assert vector.dtype == np.float64 and type(vector) is np.ndarray
    rebuilt = unravel(vector * 2)
    np.testing.assert_array_equal(rebuilt["w"], 2 * np.arange(6.0).reshape(2, 3))
    assert rebuilt["b"][0] == 12.0 and rebuilt["b"][0].dtype == np.float32 and rebuilt["b"][1] is None
    np.testing.assert_array_equal(rebuilt["n"], [14, 16])
    assert rebuilt["n"].dtype == tree["n"].dtype


def test_ravel_pytree_of_tensors_is_differentiable_both_ways():
    import autograd_core as ag
    from autograd_core.pytree import ravel_pytree
    params = [(ag.tensor([[1.0, -2.0]]), ag.tensor([3.0]))]

    def squared_norm(params):  # HIPS's neural_net.py l2_norm
        flat, _ = ravel_pytree(params)
        return np.dot(flat, flat)

    (weight, bias), = ag.grad(squared_norm)(params)
    np.testing.assert_array_equal(weight.numpy(), [[2.0, -4.0]])
    np.testing.assert_array_equal(bias.numpy(), [6.0])
    _, unravel = ravel_pytree(params)
    vector = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (w, b), = unravel(vector)
    (w.sum() * 10 + b.sum()).backward()
    np.testing.assert_array_equal(vector.grad.numpy(), [10.0, 10.0, 1.0])


def test_ravel_pytree_refuses_text_leaves_and_vectors_of_the_wrong_size():
    from autograd_core.pytree import ravel_pytree
    with pytest.raises(TypeError, match=r"ravel_pytree: tree\['name'\] is str"):
        ravel_pytree({"name": "w", "value": 1.0})
    _, unravel = ravel_pytree([np.zeros(2), np.zeros(3)])
    with pytest.raises(ValueError, match=r"1-D vector of 5 elements.*shape \(4,\)"):
        unravel(np.zeros(4))
    empty, unravel_empty = ravel_pytree({})
    assert empty.shape == (0,) and unravel_empty(empty) == {}


def test_tree_map_over_several_trees_as_jax_101s_parameter_update():
    import autograd_core as ag
    params = {"w": np.array([1.0, -2.0]), "b": 0.5}
    loss = lambda p: ((p["w"] * np.array([3.0, 4.0])).sum() + p["b"]) ** 2  # noqa: E731
    grads = ag.grad(loss)(params)  # value -4.5: d/dw = 2 * -4.5 * [3, 4], d/db = 2 * -4.5
    updated = tree_map(lambda p, g: p - 0.1 * g, params, grads)
    np.testing.assert_allclose(np.asarray(updated["w"]), [1.0 + 2.7, -2.0 + 3.6])
    assert float(updated["b"]) == pytest.approx(0.5 + 0.9)
    # the others are read by key, in any order, as JAX's
    assert tree_map(lambda a, b, c: a + b + c, {"x": 1, "y": 2}, {"y": 20, "x": 10}, {"x": 100, "y": 200}) == \
        {"x": 111, "y": 222}


def test_tree_map_names_the_path_where_another_tree_differs():
    with pytest.raises(ValueError, match=r"^tree_map: rest\[0\] is a dict with keys \['w'\], not a dict with keys"):
        tree_map(lambda a, b: a + b, {"w": 1.0, "b": 2.0}, {"w": 1.0})
    with pytest.raises(ValueError, match=r"^tree_map: rest\[1\]\[1\] is a list of length 2, not a tuple of length 2"):
        tree_map(lambda a, b, c: a, [1.0, (2.0, 3.0)], [1.0, (2.0, 3.0)], [1.0, [2.0, 3.0]])
