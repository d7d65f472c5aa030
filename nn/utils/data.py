"""torch.utils.data's names, so that `from torch.utils.data import DataLoader` ports as
`from nn.utils.data import DataLoader`: the datasets, samplers and loader of nn.data, the same objects.

>>> from nn.utils.data import DataLoader
>>> import nn
>>> DataLoader is nn.data.DataLoader
True
"""
from ..data import (BatchSampler, ChainDataset, ConcatDataset, DataLoader, Dataset, IterableDataset, RandomSampler,
                    Sampler, SequentialSampler, Subset, SubsetRandomSampler, TensorDataset, WeightedRandomSampler,
                    default_collate, default_convert, get_worker_info, random_split)

__all__ = ["BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset", "RandomSampler",
           "Sampler", "SequentialSampler", "Subset", "SubsetRandomSampler", "TensorDataset", "WeightedRandomSampler",
           "default_collate", "default_convert", "get_worker_info", "random_split"]
