#!/usr/bin/python3
"""torchvision_loader_speed.py FOLDER [PASSES]: times torchvision's ImageFolder with PIL and the ImageNet training
transform (RandomResizedCrop(224), RandomHorizontalFlip, ToTensor, Normalize) on one thread, as one
DataLoader worker runs it, and prints images_per_second=<x> for the best of PASSES passes over the folder
(tst_image_loader_benchmark runs it beside the C++ loader on the same files)."""
import sys
import time

import torch
import torchvision.datasets as datasets
import torchvision.transforms as T


def main():
    folder = sys.argv[1]
    passes = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    torch.set_num_threads(1)
    torch.manual_seed(0)
    transform = T.Compose([
        T.RandomResizedCrop(224),
        T.RandomHorizontalFlip(),
        T.ToTensor(),
        T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    dataset = datasets.ImageFolder(folder, transform)
    best = 0.0
    for _ in range(passes):
        start = time.perf_counter()
        for i in range(len(dataset)):
            image, label = dataset[i]
            assert image.shape == (3, 224, 224)
        best = max(best, len(dataset) / (time.perf_counter() - start))
    print("images=%d" % len(dataset))
    print("images_per_second=%.1f" % best)


if __name__ == "__main__":
    main()
