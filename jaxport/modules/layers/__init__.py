"""Built-in Keras layers."""

from jaxport.modules.base_layer import Layer  # noqa: F401
from jaxport.modules.input_layer import Input, InputLayer  # noqa: F401
from jaxport.modules.layers.attention import AdditiveAttention, Attention, MultiHeadAttention  # noqa: F401
from jaxport.modules.layers.convolutional import (  # noqa: F401
    AveragePooling2D,
    Conv2D,
    GlobalAveragePooling2D,
    MaxPooling2D,
)
from jaxport.modules.layers.core import Activation, Dense, Dropout, Flatten, ReLU, Softmax  # noqa: F401
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
from jaxport.modules.layers.normalization import BatchNormalization  # noqa: F401
from jaxport.modules.layers.recurrent import GRU, LSTM, RNN, Bidirectional, SimpleRNN  # noqa: F401
from jaxport.modules.layers.recurrent_cells import GRUCell, LSTMCell, SimpleRNNCell  # noqa: F401
