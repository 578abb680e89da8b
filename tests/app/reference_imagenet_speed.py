#!/usr/bin/env python3
"""Times the ImageNet network's burstprop step the way the paper's reference computes it, on this machine.

layers_imagenet.py's autograd Functions, on the CPU: the reference's CUDA convolution extension is replaced
by ATen's own convolution backward (torch.ops.aten.convolution_backward, the fastest CPU form; the golden
files used torch.nn.grad, which is slower), with the reference's clones, b and b_t sent down in two
transposed convolutions, the same elementwise chain, learned feedback weights and torch.optim.SGD with one
group per layer. Inputs are random normalised images held in memory, so the figure is an upper bound for the
reference. Prints examples_per_second=X, then convolution_fraction=Y: the share of the step spent in the
convolutions' own calls.
Usage: reference_imagenet_speed.py [steps] [threads] [batch] [classes]
"""
import sys
import time

import torch
import torch.nn.functional as F

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
batch = int(sys.argv[3]) if len(sys.argv) > 3 else 32
classes = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
torch.set_num_threads(threads)
torch.manual_seed(1)

kappa, pb = 1e-5, 0.2
channels = [3, 48, 48, 96, 96, 192, 192, 384]
kernels = [(9, 4), (3, 2), (5, 1), (3, 2), (3, 1), (3, 2), (3, 1)]
conv_seconds = [0.0]


def conv_backward(grad, inp, weight, stride, want_input):
    start = time.perf_counter()
    gi, gw, _ = torch.ops.aten.convolution_backward(
        grad, inp, weight, None, [stride, stride], [0, 0], [1, 1], False, [0, 0], 1,
        [want_input, not want_input, False])
    conv_seconds[0] += time.perf_counter() - start
    return gi if want_input else gw


class ConvNeuron(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, _, weight, weight_fa, bias, stride, kappa_i):
        start = time.perf_counter()
        e = F.relu(F.conv2d(input, weight, bias, stride))
        conv_seconds[0] += time.perf_counter() - start
        ctx.save_for_backward(input, e, weight, weight_fa)
        ctx.stride, ctx.kappa = stride, kappa_i
        return e, e.clone()

    @staticmethod
    def backward(ctx, grad, grad_t):
        input, e, weight, weight_fa = ctx.saved_tensors
        k = ctx.kappa
        p = torch.sigmoid(grad * (e > 0).float() / (e + 1e-8))
        if k != 1:
            p_t = torch.sigmoid((((1 / k) * (grad_t - grad) + grad) * (e > 0).float() / (e + 1e-8)))
        else:
            p_t = torch.sigmoid(grad_t * (e > 0).float() / (e + 1e-8))
        b, b_t = p * e, p_t * e
        delta = -(b_t - b)
        grad_weight = conv_backward(delta, input, weight, ctx.stride, False)
        grad_bias = torch.sum(delta, dim=[0, 2, 3])
        delta_fb, delta_fb_t = b.clone(), b_t.clone()
        grad_input = conv_backward(delta_fb, input, weight_fa, ctx.stride, True)
        grad_input_t = conv_backward(delta_fb_t, input, weight_fa, ctx.stride, True)
        grad_weight_fa = conv_backward(delta, input, weight, ctx.stride, False)
        return grad_input, grad_input_t, grad_weight, grad_weight_fa, grad_bias, None, None


class OutputNeuron(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, _, target, weight, weight_fa, bias):
        e = F.linear(input, weight, bias)
        ctx.save_for_backward(input, target, e, weight, weight_fa)
        return e

    @staticmethod
    def backward(ctx, grad):
        input, target, e, weight, weight_fa = ctx.saved_tensors
        a = F.softmax(e, dim=1)
        b = pb * torch.ones_like(a) * a
        b_t = torch.min(pb * (kappa * (target - a) / (a + 1e-8) + 1), torch.ones_like(a)) * a
        delta = -(1 / kappa) * (b_t - b)
        grad_weight = delta.t().mm(input)
        grad_bias = delta.sum(0).squeeze(0)
        delta_fb, delta_fb_t = b.clone(), b_t.clone()
        return (delta_fb.mm(weight_fa), delta_fb_t.mm(weight_fa), None, grad_weight, delta.t().mm(input),
                grad_bias)


def param(*shape, std):
    return torch.nn.Parameter(torch.randn(*shape) * std)


convs = []
for i, (k, s) in enumerate(kernels):
    cin, cout = channels[i], channels[i + 1]
    convs.append((param(cout, cin, k, k, std=(2.0 / (cout * k * k)) ** 0.5), param(cout, cin, k, k, std=0.01),
                  torch.nn.Parameter(torch.zeros(cout)), s, kappa if i == 6 else 1))
out_w = param(classes, channels[-1], std=0.01)
out_y = param(classes, channels[-1], std=0.01)
out_b = torch.nn.Parameter(torch.zeros(classes))
groups = [{"params": [w, y, b], "lr": 0.01} for (w, y, b, _, _) in convs]
groups.append({"params": [out_w, out_y, out_b], "lr": 0.01})
optimizer = torch.optim.SGD(groups, lr=0.01, momentum=0.9, weight_decay=1e-4)

images = torch.randn(batch, 3, 224, 224)
labels = torch.randint(0, classes, (batch,))
target = F.one_hot(labels, classes).float()


def step():
    x = (images, images.clone())
    for (w, y, b, s, k) in convs:
        x = ConvNeuron.apply(x[0], x[1], w, y, b, s, k)
    flat = (x[0].view(batch, -1), x[1].view(batch, -1))
    e = OutputNeuron.apply(flat[0], flat[1], target, out_w, out_y, out_b)
    loss = F.cross_entropy(e, labels)  # reported; the gradients come from the Functions
    optimizer.zero_grad()
    e.backward(torch.ones_like(e))
    optimizer.step()
    return loss.item()


for _ in range(2):
    step()
conv_seconds[0] = 0.0
start = time.perf_counter()
for _ in range(steps):
    step()
seconds = time.perf_counter() - start
print(f"examples_per_second={steps * batch / seconds:.3f}")
print(f"convolution_fraction={conv_seconds[0] / seconds:.3f}")
