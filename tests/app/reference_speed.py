#!/usr/bin/env python3
"""Times the burstprop step the way the paper's PyTorch reference computes it, on this machine.

The default MNIST configuration (784-500-500-500-10, recurrent input learned, batch 32): per layer
three separate GEMMs down (b Y, b_t Y, delta_bp W), the recurrent term computed twice, every update
written out-of-place, and delta angles every batch, as the reference's training loop does. Data comes
from a tensor already in memory (the reference's DataLoader would only make it slower), so the figure
is an upper bound for the reference. Usage: reference_speed.py [steps] [threads]
"""
import sys
import time

import torch

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
torch.set_num_threads(threads)
torch.manual_seed(1)
torch.set_grad_enabled(False)

sizes = [784, 500, 500, 500, 10]
hidden_lr, output_lr, momentum, decay, pb, rec_lr = 0.1, 0.01, 0.8, 1e-6, 0.2, 1e-4


class Layer:
    def __init__(self, n_in, n_out, hidden):
        self.w = torch.randn(n_out, n_in) * (2.0 / (n_in + n_out)) ** 0.5
        self.b = torch.zeros(n_out)
        self.y = torch.randn(n_out, n_in)
        self.z = torch.empty(n_out, n_out).uniform_(-0.01, 0.01) if hidden else None
        self.dw = torch.zeros_like(self.w)
        self.db = torch.zeros_like(self.b)
        self.lr = hidden_lr if hidden else output_lr


layers = [Layer(sizes[i], sizes[i + 1], i + 2 < len(sizes)) for i in range(len(sizes) - 1)]
data = torch.randn(60000, 784)
labels = torch.randint(0, 10, (60000,))


def angle(a, b):
    cos = (a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))
    return torch.rad2deg(torch.acos(cos.clamp(-1, 1))).mean().item()


def step(x, t):
    for l in layers:
        l.x = x
        l.e = torch.sigmoid(torch.nn.functional.linear(x, l.w, l.b))
        x = l.e
    out = layers[-1]
    loss = ((out.e - t) ** 2).mean().item()
    p_t = pb * ((t - out.e) * (1 - out.e) + 1)
    out.bb, out.bt = pb * out.e, p_t * out.e
    out.delta = -(out.bt - out.bb)
    out.delta_bp = -(t - out.e) * out.e * (1 - out.e)
    out.gw, out.gb = out.delta.t().mm(out.x), out.delta.sum(0)
    f, ft, fbp = out.bb.mm(out.y), out.bt.mm(out.y), out.delta_bp.mm(out.w)
    angles = []
    for l in reversed(layers[:-1]):
        b_pre = torch.sigmoid(f) * l.e
        u = f * (1 - l.e) - b_pre.mm(l.z.t())
        p, p_t = torch.sigmoid(u), torch.sigmoid(ft * (1 - l.e) - b_pre.mm(l.z.t()))
        l.bb, l.bt = p * l.e, p_t * l.e
        l.delta = -(l.bt - l.bb)
        l.delta_bp = fbp * l.e * (1 - l.e)
        l.gw, l.gb = l.delta.t().mm(l.x), l.delta.sum(0)
        l.gz = -u.t().mm(b_pre)
        angles.append(angle(l.delta, l.delta_bp))
        f, ft, fbp = l.bb.mm(l.y), l.bt.mm(l.y), l.delta_bp.mm(l.w)
    for l in layers:
        l.dw = -l.lr * l.gw + momentum * l.dw
        l.db = -l.lr * l.gb + momentum * l.db
        l.w += l.dw - decay * l.w
        l.b += l.db
        if l.z is not None:
            l.z += -rec_lr * l.gz
    return loss, angles


def run(n, start):
    for i in range(n):
        j = (start + i) * 32 % 59968
        step(data[j:j + 32], torch.nn.functional.one_hot(labels[j:j + 32], 10).float())


run(20, 0)
begin = time.perf_counter()
run(steps, 20)
print(f"examples_per_second={steps * 32 / (time.perf_counter() - begin):.1f}")
