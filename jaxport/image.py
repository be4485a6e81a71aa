"""The `tf.image` namespace."""

from jaxport.ops.image_adjust_ops import (  # noqa: F401
    adjust_brightness,
    adjust_contrast,
    central_crop,
    convert_image_dtype,
    crop_to_bounding_box,
    flip_left_right,
    flip_up_down,
    grayscale_to_rgb,
    pad_to_bounding_box,
    per_image_standardization,
    random_flip_left_right,
    random_flip_up_down,
    resize_with_crop_or_pad,
    rgb_to_grayscale,
    rot90,
    stateless_random_flip_left_right,
    stateless_random_flip_up_down,
)
from jaxport.ops.image_ops import ResizeMethod, resize  # noqa: F401
