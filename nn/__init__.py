"""nn: neural networks built only from autograd_core operations (no gradient formulas of its own).

>>> import numpy as np, nn
>>> model = nn.MLP([2, 8, 1], rng=0)
>>> loss = nn.BCEWithLogitsLoss()(model(np.eye(2)), np.array([[1.0], [0.0]], dtype=np.float32))
>>> loss.backward()
>>> model.layers[0].weight.grad.shape
(8, 2)
"""
from . import data, datasets, functional, init, optim, utils
from .activations import ELU, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh
from .activations_more import (CELU, GELU, SELU, Hardsigmoid, Hardswish, Hardtanh, LogSigmoid, Mish, PReLU, ReLU6,
                               SiLU, Softmin, Softsign, Tanhshrink, Threshold)
from .data import (BatchSampler, DataLoader, Dataset, IterableDataset, RandomSampler, Sampler, SequentialSampler,
                   Subset, SubsetRandomSampler, TensorDataset, WeightedRandomSampler, random_split,
                   train_val_test_split)
from .layers import MLP, Dropout, Embedding, Flatten, Linear, Maxout
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss
from .losses_more import (CosineEmbeddingLoss, GaussianNLLLoss, HingeEmbeddingLoss, KLDivLoss, MarginRankingLoss,
                          MultiLabelSoftMarginLoss, MultiMarginLoss, PoissonNLLLoss, SmoothL1Loss, SoftMarginLoss,
                          TripletMarginLoss)
from .containers import ModuleDict, ModuleList, Sequential
from .convolution import AvgPool1d, AvgPool2d, AvgPool3d, Conv1d, Conv2d, Conv3d, MaxPool1d, MaxPool2d, MaxPool3d
from .pooling import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d,
                      AdaptiveMaxPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d)
from .module import Module, Parameter
from .normalization import (BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm, InstanceNorm1d, InstanceNorm2d,
                            InstanceNorm3d, LayerNorm, RMSNorm)
from .dropout import AlphaDropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout
from .recurrent import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
from .padding import (CircularPad1d, CircularPad2d, CircularPad3d, ConstantPad1d, ConstantPad2d, ConstantPad3d,
                      ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d,
                      ReplicationPad3d, ZeroPad1d, ZeroPad2d, ZeroPad3d)
from .conv_transpose import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, Fold, Unfold
from .resampling import (ChannelShuffle, PixelShuffle, PixelUnshuffle, Unflatten, Upsample, UpsamplingBilinear2d,
                         UpsamplingNearest2d)
from .serialization import load, save
from .small_layers import (GLU, Bilinear, CosineSimilarity, Hardshrink, LocalResponseNorm, PairwiseDistance, RReLU,
                           Softmax2d, Softshrink, TripletMarginWithDistanceLoss)
from .parameter_containers import ParameterDict, ParameterList
from .training import History, fit
from .train_step import TrainStep
from .attention import MultiheadAttention
from .transformer import (Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder,
                          TransformerEncoderLayer)
from ._ctc_loss_functions import CTCLoss
from .adaptive_softmax import AdaptiveLogSoftmaxWithLoss
from ._uninitialized import UninitializedBuffer, UninitializedParameter
from .lazy import (LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d, LazyConv1d, LazyConv2d, LazyConv3d,
                   LazyConvTranspose1d, LazyConvTranspose2d, LazyConvTranspose3d, LazyInstanceNorm1d,
                   LazyInstanceNorm2d, LazyInstanceNorm3d, LazyLinear, LazyModuleMixin)
from .recurrent import _CellBase as RNNCellBase, _RNNBase as RNNBase  # PyTorch's names of the recurrent base classes
from . import func  # torch.func's functional_call
from .embedding_bag import EmbeddingBag
from . import parameter  # torch.nn.parameter's path
from .lp_pooling import LPPool1d, LPPool2d, LPPool3d
from .losses_more import MultiLabelMarginLoss
from .module import Buffer
from .fractional_pooling import FractionalMaxPool2d, FractionalMaxPool3d
from .parallel import DataParallel
from . import modules  # torch.nn.modules' path (nn.modules.conv.Conv2d ...)

__all__ = [
    "Module", "Parameter", "Sequential", "ModuleList", "ModuleDict",
    "Linear", "MLP", "Dropout", "Maxout", "Flatten", "Embedding", "LayerNorm", "BatchNorm1d",
    "Conv1d", "Conv2d", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d",
    "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "GroupNorm",
    "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
    "RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU",
    "Conv3d", "MaxPool3d", "AvgPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d", "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d",
    "ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ReflectionPad1d",
    "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
    "CircularPad2d", "CircularPad3d",
    "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Fold", "Unfold",
    "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "PixelShuffle", "PixelUnshuffle", "ChannelShuffle",
    "Unflatten",
    "ReLU", "LeakyReLU", "ELU", "Sigmoid", "Tanh", "Softplus", "Softmax", "LogSoftmax", "Identity",
    "GELU", "SiLU", "Mish", "ReLU6", "SELU", "Hardsigmoid", "Hardswish", "Hardtanh", "CELU", "Threshold",
    "LogSigmoid", "Softsign", "Tanhshrink", "Softmin", "PReLU",
    "MSELoss", "L1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss",
    "SmoothL1Loss", "KLDivLoss", "PoissonNLLLoss", "GaussianNLLLoss", "SoftMarginLoss", "MarginRankingLoss",
    "HingeEmbeddingLoss", "CosineEmbeddingLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss", "TripletMarginLoss",
    "functional", "init", "optim", "data", "datasets", "utils", "parameter",
    "TensorDataset", "DataLoader", "train_val_test_split", "Subset", "random_split", "Dataset", "RandomSampler",
    "IterableDataset", "Sampler", "SequentialSampler", "SubsetRandomSampler", "BatchSampler", "WeightedRandomSampler",
    "save", "load", "fit", "TrainStep", "History",
    "GLU", "Bilinear", "Hardshrink", "Softshrink", "RReLU", "Softmax2d", "LocalResponseNorm", "CosineSimilarity",
    "PairwiseDistance", "TripletMarginWithDistanceLoss", "ParameterList", "ParameterDict",
    "RMSNorm", "MultiheadAttention", "Transformer", "TransformerEncoder", "TransformerDecoder",
    "TransformerEncoderLayer", "TransformerDecoderLayer", "CTCLoss", "AdaptiveLogSoftmaxWithLoss",
    "UninitializedParameter", "UninitializedBuffer", "LazyModuleMixin", "LazyLinear", "LazyConv1d", "LazyConv2d",
    "LazyConv3d", "LazyConvTranspose1d", "LazyConvTranspose2d", "LazyConvTranspose3d", "LazyBatchNorm1d",
    "LazyBatchNorm2d", "LazyBatchNorm3d", "LazyInstanceNorm1d", "LazyInstanceNorm2d", "LazyInstanceNorm3d",
    "RNNBase", "RNNCellBase",
    "func",
    "EmbeddingBag", "LPPool1d", "LPPool2d", "LPPool3d", "MultiLabelMarginLoss", "Buffer",
    "FractionalMaxPool2d", "FractionalMaxPool3d", "DataParallel",
    "modules",
]
