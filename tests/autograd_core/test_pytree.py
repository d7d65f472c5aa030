"""autograd_core/pytree.py: flatten, its rebuild, leaf_paths and tree_map over the containers JAX's and torch.func's
pytrees take (tuples, lists, dicts, namedtuples, OrderedDicts, defaultdicts); everything else is a leaf."""
import collections

import numpy as np

from autograd_core.pytree import flatten, is_container, leaf_paths, tree_map

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
