"""PyTorch's module path torch.nn.modules and its submodules (conv, batchnorm, loss, rnn, ...), for code that names a
layer class by it: `type(m) == nn.modules.conv.Conv2d` (deepspeech.pytorch's get_seq_lens),
`isinstance(m, nn.modules.batchnorm._BatchNorm)` (weight decay kept off the norms), `from nn.modules.loss import
_Loss`, `from nn.modules.utils import _pair` (nn/module_utils.py). Each name is nn's own class, not a copy; the
submodules hold PyTorch's names that nn has.

>>> import nn
>>> from nn.modules.conv import Conv2d
>>> Conv2d is nn.Conv2d, isinstance(nn.BatchNorm1d(3), nn.modules.batchnorm._BatchNorm)
(True, True)
"""
import sys
import types

from . import (activations, activations_more, adaptive_softmax, attention, containers, conv_transpose, convolution,
               dropout, embedding_bag, fractional_pooling, layers, lazy, losses, losses_more, lp_pooling, module,
               module_global_hooks, module_utils, normalization, padding, parameter_containers, pooling, recurrent,
               resampling, small_layers, transformer, _ctc_loss_functions)

# PyTorch's submodule: its names that nn has (each looked up in the nn modules listed, in order)
_SUBMODULES = {
    "module": ("Module register_module_forward_pre_hook register_module_forward_hook "
               "register_module_full_backward_pre_hook register_module_full_backward_hook "
               "register_module_backward_hook register_module_parameter_registration_hook "
               "register_module_buffer_registration_hook "
               "register_module_module_registration_hook",
               [module, module_global_hooks]),
    "container": ("Sequential ModuleList ModuleDict ParameterList ParameterDict", [containers, parameter_containers]),
    "linear": ("Bilinear Identity LazyLinear Linear", [small_layers, activations, lazy, layers]),
    "conv": ("Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d LazyConv1d LazyConv2d LazyConv3d "
             "LazyConvTranspose1d LazyConvTranspose2d LazyConvTranspose3d", [convolution, conv_transpose, lazy]),
    "batchnorm": ("BatchNorm1d BatchNorm2d BatchNorm3d LazyBatchNorm1d LazyBatchNorm2d LazyBatchNorm3d _BatchNorm "
                  "_NormBase", [normalization, lazy]),
    "instancenorm": ("InstanceNorm1d InstanceNorm2d InstanceNorm3d LazyInstanceNorm1d LazyInstanceNorm2d "
                     "LazyInstanceNorm3d _InstanceNorm", [normalization, lazy]),
    "normalization": ("LocalResponseNorm LayerNorm GroupNorm RMSNorm", [small_layers, normalization]),
    "activation": ("Threshold ReLU RReLU Hardtanh ReLU6 Sigmoid Hardsigmoid Tanh SiLU Mish Hardswish ELU CELU SELU "
                   "GLU GELU Hardshrink LeakyReLU LogSigmoid Softplus Softshrink MultiheadAttention PReLU Softsign "
                   "Tanhshrink Softmin Softmax Softmax2d LogSoftmax", [activations, activations_more, small_layers,
                                                                      attention]),
    "dropout": ("Dropout Dropout1d Dropout2d Dropout3d AlphaDropout FeatureAlphaDropout", [layers, dropout]),
    "rnn": ("RNNBase RNN LSTM GRU RNNCellBase RNNCell LSTMCell GRUCell", [recurrent]),
    "pooling": ("MaxPool1d MaxPool2d MaxPool3d MaxUnpool1d MaxUnpool2d MaxUnpool3d AvgPool1d AvgPool2d AvgPool3d "
                "FractionalMaxPool2d FractionalMaxPool3d LPPool1d LPPool2d LPPool3d AdaptiveMaxPool1d "
                "AdaptiveMaxPool2d AdaptiveMaxPool3d AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d",
                [convolution, pooling, fractional_pooling, lp_pooling]),
    "loss": ("L1Loss NLLLoss PoissonNLLLoss GaussianNLLLoss KLDivLoss MSELoss BCELoss BCEWithLogitsLoss "
             "HingeEmbeddingLoss MultiLabelMarginLoss SmoothL1Loss HuberLoss SoftMarginLoss CrossEntropyLoss "
             "MultiLabelSoftMarginLoss CosineEmbeddingLoss MarginRankingLoss MultiMarginLoss TripletMarginLoss "
             "TripletMarginWithDistanceLoss CTCLoss _Loss", [losses, losses_more, small_layers, _ctc_loss_functions]),
    "sparse": ("Embedding EmbeddingBag", [layers, embedding_bag]),
    "padding": ("CircularPad1d CircularPad2d CircularPad3d ConstantPad1d ConstantPad2d ConstantPad3d ReflectionPad1d "
                "ReflectionPad2d ReflectionPad3d ReplicationPad1d ReplicationPad2d ReplicationPad3d ZeroPad1d "
                "ZeroPad2d ZeroPad3d", [padding]),
    "flatten": ("Flatten Unflatten", [layers, resampling]),
    "pixelshuffle": ("PixelShuffle PixelUnshuffle", [resampling]),
    "upsampling": ("Upsample UpsamplingNearest2d UpsamplingBilinear2d", [resampling]),
    "fold": ("Fold Unfold", [conv_transpose]),
    "channelshuffle": ("ChannelShuffle", [resampling]),
    "distance": ("PairwiseDistance CosineSimilarity", [small_layers]),
    "transformer": ("Transformer TransformerEncoder TransformerDecoder TransformerEncoderLayer "
                    "TransformerDecoderLayer", [transformer]),
    "adaptive": ("AdaptiveLogSoftmaxWithLoss", [adaptive_softmax]),
    "lazy": ("LazyModuleMixin", [lazy]),
}
utils = sys.modules[f"{__name__}.utils"] = module_utils  # torch.nn.modules.utils: _pair, ... (a module of its own)
_ALIASES = {"RNNBase": "_RNNBase", "RNNCellBase": "_CellBase"}  # (recurrent.py's own names for them)


def _found(name, places):
    for place in places:
        found = getattr(place, _ALIASES.get(name, name), None) or getattr(place, name, None)
        if found is not None:
            return found
    raise AttributeError(f"nn.modules: {name} is in none of {[p.__name__ for p in places]}")


__all__ = []
for _name, (_names, _places) in _SUBMODULES.items():
    _submodule = types.ModuleType(f"{__name__}.{_name}", f"PyTorch's torch.nn.modules.{_name}: nn's classes.")
    _submodule.__all__ = [n for n in _names.split() if not n.startswith("_")]
    for _class_name in _names.split():
        setattr(_submodule, _class_name, _found(_class_name, _places))
    sys.modules[_submodule.__name__] = _submodule  # (`from nn.modules.conv import Conv2d` finds it there)
    globals()[_name] = _submodule
    for _class_name in _submodule.__all__ if _name != "lazy" else ():  # torch.nn.modules.Conv2d too (not the mixin,
        if not isinstance(getattr(_submodule, _class_name), type):  # nor module's global hook functions)
            continue
        globals()[_class_name] = getattr(_submodule, _class_name)
        __all__.append(_class_name)
del _name, _names, _places, _submodule, _class_name
