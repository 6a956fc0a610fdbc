"""Images in, normalised batches out, for the classification child. An image is prepared as the
classification codec prepares it for serving (BGR to RGB, cubic resize of the whole image to the
input size, /255, ImageNet mean and std), so the model is evaluated and served on what it saw;
training adds a random resized crop and, if asked, a horizontal flip before that resize."""
import math
from pathlib import Path

import numpy as np

from core.inference.backends.opencv import images, transforms

# Decoded images are kept in memory up to this much; past it the rest are read from disk
# each epoch (a set of thousands of large photos would not fit a 2-core worker's memory).
CACHE_BYTES = 1 << 30
ASPECT = (3 / 4, 4 / 3)


class ImageSet:
    def __init__(self, folder, items, *, size, mean, std):
        self.folder = Path(folder)
        self.files = [f for f, _ in items]
        self.labels = np.asarray([int(k) for _, k in items], dtype=np.int64)
        self.size = int(size)
        self.mean = np.asarray(mean, dtype=np.float32)
        self.std = np.asarray(std, dtype=np.float32)
        self._cache, self._cached_bytes = {}, 0

    def __len__(self):
        return len(self.files)

    def image(self, i):
        if i in self._cache:
            return self._cache[i]
        image = images.read_bgr(self.folder / self.files[i])
        if image is None:
            raise ValueError(f"cannot decode {self.files[i]}")
        if self._cached_bytes + image.nbytes <= CACHE_BYTES:
            self._cache[i] = image
            self._cached_bytes += image.nbytes
        return image

    def normalised(self, image_bgr):
        rgb = transforms.bgr_to_rgb(image_bgr)
        resized = transforms.resize(rgb, (self.size, self.size), interpolation="cubic").astype(np.float32) / 255.0
        return ((resized - self.mean) / self.std).transpose(2, 0, 1)

    def batch(self, indices, rng=None, *, crop_scale=1.0, flip=False):
        """(images [n,3,S,S] float32, labels [n]); augmented when rng is given."""
        out = []
        for i in indices:
            image = self.image(i)
            if rng is not None:
                if crop_scale < 1.0:
                    y, x, h, w = random_crop_box(rng, *image.shape[:2], crop_scale)
                    image = image[y:y + h, x:x + w]
                if flip and rng.random() < 0.5:
                    image = image[:, ::-1]
            out.append(self.normalised(np.ascontiguousarray(image)))
        return np.stack(out).astype(np.float32), self.labels[list(indices)]


def random_crop_box(rng, height, width, min_area):
    """(y, x, h, w) of a crop covering min_area..1 of the image at an aspect ratio of 3:4..4:3,
    the whole image when ten tries find none that fits."""
    for _ in range(10):
        area = height * width * rng.uniform(min_area, 1.0)
        ratio = math.exp(rng.uniform(math.log(ASPECT[0]), math.log(ASPECT[1])))
        w, h = round(math.sqrt(area * ratio)), round(math.sqrt(area / ratio))
        if 0 < w <= width and 0 < h <= height:
            return int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1)), h, w
    return 0, 0, height, width
