"""Built-in Keras layers."""

import types as _types

from jaxport.modules.base_layer import Layer  # noqa: F401
from jaxport.modules.input_layer import Input, InputLayer  # noqa: F401
from jaxport.modules.layers.activation_layers import ELU, LeakyReLU, PReLU, ThresholdedReLU  # noqa: F401
from jaxport.modules.layers.attention import AdditiveAttention, Attention, MultiHeadAttention  # noqa: F401
from jaxport.modules.layers.conv import (  # noqa: F401
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
)
from jaxport.modules.layers.core import Activation, Dense, Dropout, Flatten, ReLU, Softmax  # noqa: F401
from jaxport.modules.layers.core_extra import Identity, Lambda, Masking  # noqa: F401
from jaxport.modules.layers.embedding import Embedding  # noqa: F401
from jaxport.modules.layers.layer_normalization import (  # noqa: F401
    GroupNormalization,
    LayerNormalization,
    UnitNormalization,
)
from jaxport.modules.layers.merging import (  # noqa: F401
    Add,
    Average,
    Concatenate,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    maximum,
    minimum,
    multiply,
    subtract,
)
from jaxport.modules.layers.noise import (  # noqa: F401
    ActivityRegularization,
    AlphaDropout,
    GaussianDropout,
    GaussianNoise,
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
from jaxport.modules.layers.normalization import BatchNormalization  # noqa: F401
from jaxport.modules.layers.pooling import (  # noqa: F401
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from jaxport.modules.layers.preprocessing import CenterCrop, Normalization, Rescaling, Resizing  # noqa: F401
from jaxport.modules.layers.preprocessing_categorical import CategoryEncoding, Discretization  # noqa: F401
from jaxport.modules.layers.recurrent import GRU, LSTM, RNN, Bidirectional, SimpleRNN  # noqa: F401
from jaxport.modules.layers.recurrent_cells import GRUCell, LSTMCell, SimpleRNNCell  # noqa: F401
from jaxport.modules.layers.reshaping import (  # noqa: F401
    Cropping1D,
    Cropping2D,
    Cropping3D,
    Permute,
    RepeatVector,
    Reshape,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding1D,
    ZeroPadding2D,
    ZeroPadding3D,
)
from jaxport.modules.layers.wrappers import TimeDistributed  # noqa: F401
from jaxport.modules.serialization import deserialize, serialize  # noqa: F401

# Keras 2's aliases
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution2DTranspose = Conv2DTranspose
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
)
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D

# TF 2.3-2.5's spelling of the preprocessing layers, still exported by tf_keras 2.21
experimental = _types.SimpleNamespace(
    preprocessing=_types.SimpleNamespace(
        CategoryEncoding=CategoryEncoding,
        CenterCrop=CenterCrop,
        Discretization=Discretization,
        Normalization=Normalization,
        Rescaling=Rescaling,
        Resizing=Resizing,
    )
)
