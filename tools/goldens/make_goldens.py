#!/usr/bin/python3
"""Independent PyTorch reference for the Java CLIP runtime's golden tests.

Builds small random CLIPs with plain torch.nn modules (nn.MultiheadAttention, nn.LayerNorm, nn.Conv2d,
written after OpenAI's CLIP model.py; nothing here is shared with the Java code), writes them in the
OpenCLIP and the Hugging Face checkpoint layouts, and stores reference outputs the Java tests must match.

Run with Debian's python3-torch and python3-pil (the Makefile target `goldens` does this):
    /usr/bin/python3 tools/goldens/make_goldens.py model-runtime/src/test/resources/golden
The outputs are committed; rerunning with the same seeds reproduces them.
"""
import json
import math
import os
import struct
import sys
from collections import OrderedDict

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
from PIL import Image

# ----------------------------------------------------------------------------------------------
# safetensors writer (the format is a little-endian u64 header length, a JSON header, raw data)
# ----------------------------------------------------------------------------------------------
_DTYPES = {torch.float32: "F32", torch.int64: "I64", torch.int32: "I32"}


def save_safetensors(tensors, path):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * ((8 - len(head) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


# ----------------------------------------------------------------------------------------------
# Reference CLIP
# ----------------------------------------------------------------------------------------------
class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads, act):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, 4 * width)),
            ("gelu", QuickGELU() if act == "quick_gelu" else nn.GELU()),
            ("c_proj", nn.Linear(4 * width, width)),
        ]))

    def forward(self, x, mask=None):
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, act):
        super().__init__()
        self.resblocks = nn.ModuleList([ResidualAttentionBlock(width, heads, act) for _ in range(layers)])

    def forward(self, x, mask=None):
        for block in self.resblocks:
            x = block(x, mask)
        return x


class VisionTransformer(nn.Module):
    def __init__(self, image_size, patch, width, layers, heads, out_dim, act):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(width))
        self.positional_embedding = nn.Parameter(torch.randn((image_size // patch) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads, act)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(torch.randn(width, out_dim))

    def forward(self, x):                                   # x: (B, 3, S, S)
        x = self.conv1(x)                                   # (B, W, S/p, S/p)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)        # (B, N, W)
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding       # (B, N+1, W)
        x = self.transformer(self.ln_pre(x))
        return self.ln_post(x[:, 0, :]) @ self.proj                       # (B, P)


class CLIP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        t, v, act = cfg["text"], cfg["vision"], cfg["act"]
        self.context_length = t["context_length"]
        self.visual = VisionTransformer(v["image_size"], v["patch_size"], v["width"], v["layers"],
                                        v["heads"], cfg["embed_dim"], act)
        self.token_embedding = nn.Embedding(t["vocab_size"], t["width"])
        self.positional_embedding = nn.Parameter(torch.randn(t["context_length"], t["width"]))
        self.transformer = Transformer(t["width"], t["layers"], t["heads"], act)
        self.ln_final = nn.LayerNorm(t["width"])
        self.text_projection = nn.Parameter(torch.randn(t["width"], cfg["embed_dim"]))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def causal_mask(self, n):
        return torch.full((n, n), float("-inf")).triu(1)

    def encode_token_embeddings(self, x, eot):             # x: (B, L, D) token embeddings
        n = x.shape[1]
        x = x + self.positional_embedding[:n]
        x = self.transformer(x, self.causal_mask(n))
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), eot] @ self.text_projection     # (B, P)

    def encode_text(self, ids, eot):
        return self.encode_token_embeddings(self.token_embedding(ids), eot)

    def encode_image(self, images):
        return self.visual(images)


def randomize(model, gen):
    """Weights of a visible scale, so that every layer changes the output."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if ("ln_" in name) and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
            elif name.endswith("bias"):
                p.copy_(0.05 * torch.randn(p.shape, generator=gen))
            elif name == "logit_scale":
                continue
            else:
                fan_in = p.shape[-1] if p.dim() > 1 else 1
                std = 0.5 if p.dim() == 1 or "embedding" in name else 1.0 / math.sqrt(fan_in)
                if name == "visual.conv1.weight":
                    std = 1.0 / math.sqrt(p.shape[1] * p.shape[2] * p.shape[3])
                p.copy_(std * torch.randn(p.shape, generator=gen))


# ----------------------------------------------------------------------------------------------
# Checkpoint layouts
# ----------------------------------------------------------------------------------------------
def to_hf_state_dict(sd, cfg):
    """OpenCLIP names -> Hugging Face CLIPModel names (fused in_proj split into q/k/v)."""
    out = {}

    def blocks(src, dst, layers):
        for i in range(layers):
            s, d = f"{src}.resblocks.{i}", f"{dst}.encoder.layers.{i}"
            w, b = sd[f"{s}.attn.in_proj_weight"], sd[f"{s}.attn.in_proj_bias"]
            for j, n in enumerate(["q_proj", "k_proj", "v_proj"]):
                out[f"{d}.self_attn.{n}.weight"] = w.chunk(3)[j]
                out[f"{d}.self_attn.{n}.bias"] = b.chunk(3)[j]
            out[f"{d}.self_attn.out_proj.weight"] = sd[f"{s}.attn.out_proj.weight"]
            out[f"{d}.self_attn.out_proj.bias"] = sd[f"{s}.attn.out_proj.bias"]
            for a, c in [("ln_1", "layer_norm1"), ("ln_2", "layer_norm2")]:
                out[f"{d}.{c}.weight"], out[f"{d}.{c}.bias"] = sd[f"{s}.{a}.weight"], sd[f"{s}.{a}.bias"]
            for a, c in [("c_fc", "fc1"), ("c_proj", "fc2")]:
                out[f"{d}.mlp.{c}.weight"] = sd[f"{s}.mlp.{a}.weight"]
                out[f"{d}.mlp.{c}.bias"] = sd[f"{s}.mlp.{a}.bias"]

    out["text_model.embeddings.token_embedding.weight"] = sd["token_embedding.weight"]
    out["text_model.embeddings.position_embedding.weight"] = sd["positional_embedding"]
    blocks("transformer", "text_model", cfg["text"]["layers"])
    out["text_model.final_layer_norm.weight"] = sd["ln_final.weight"]
    out["text_model.final_layer_norm.bias"] = sd["ln_final.bias"]
    out["text_projection.weight"] = sd["text_projection"].t()
    out["vision_model.embeddings.class_embedding"] = sd["visual.class_embedding"]
    out["vision_model.embeddings.patch_embedding.weight"] = sd["visual.conv1.weight"]
    out["vision_model.embeddings.position_embedding.weight"] = sd["visual.positional_embedding"]
    out["vision_model.pre_layrnorm.weight"] = sd["visual.ln_pre.weight"]
    out["vision_model.pre_layrnorm.bias"] = sd["visual.ln_pre.bias"]
    blocks("visual.transformer", "vision_model", cfg["vision"]["layers"])
    out["vision_model.post_layernorm.weight"] = sd["visual.ln_post.weight"]
    out["vision_model.post_layernorm.bias"] = sd["visual.ln_post.bias"]
    out["visual_projection.weight"] = sd["visual.proj"].t()
    out["logit_scale"] = sd["logit_scale"]
    return {k: v.clone() for k, v in out.items()}


def hf_config(cfg, vocab):
    t, v = cfg["text"], cfg["vision"]
    return {
        "architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": cfg["embed_dim"],
        "logit_scale_init_value": 2.6592,
        "text_config": {"vocab_size": t["vocab_size"], "hidden_size": t["width"],
                        "intermediate_size": 4 * t["width"], "num_hidden_layers": t["layers"],
                        "num_attention_heads": t["heads"], "max_position_embeddings": t["context_length"],
                        "hidden_act": cfg["act"], "layer_norm_eps": 1e-5,
                        "bos_token_id": vocab["<|startoftext|>"], "eos_token_id": vocab["<|endoftext|>"],
                        "pad_token_id": vocab["<|endoftext|>"]},
        "vision_config": {"hidden_size": v["width"], "intermediate_size": 4 * v["width"],
                          "num_hidden_layers": v["layers"], "num_attention_heads": v["heads"],
                          "image_size": v["image_size"], "patch_size": v["patch_size"], "num_channels": 3,
                          "hidden_act": cfg["act"], "layer_norm_eps": 1e-5},
    }


def open_clip_config(cfg):
    t, v = cfg["text"], cfg["vision"]
    return {"model_cfg": {"embed_dim": cfg["embed_dim"], "quick_gelu": cfg["act"] == "quick_gelu",
                          "vision_cfg": {"image_size": v["image_size"], "layers": v["layers"], "width": v["width"],
                                         "head_width": v["width"] // v["heads"], "patch_size": v["patch_size"]},
                          "text_cfg": {"context_length": t["context_length"], "vocab_size": t["vocab_size"],
                                       "width": t["width"], "heads": t["heads"], "layers": t["layers"]}},
            "preprocess_cfg": {"mean": [0.48145466, 0.4578275, 0.40821073],
                               "std": [0.26862954, 0.26130258, 0.27577711]}}


# ----------------------------------------------------------------------------------------------
# A tiny CLIP-style BPE tokenizer (tokenizer.json in the structure of openai/clip-vit-base-patch32)
# ----------------------------------------------------------------------------------------------
WORDS = ["a", "photo", "of", "the", "cat", "dog", "small", "big", "picture", "shoe", "shirt", "bag", "coat"]
CHARS = list("abcdefghijklmnopqrstuvwxyz.,!")


def build_tokenizer():
    vocab, merges = OrderedDict(), []
    for c in CHARS:
        vocab.setdefault(c, len(vocab))
    for c in CHARS:
        vocab.setdefault(c + "</w>", len(vocab))
    for w in WORDS:                       # left-to-right merge chain per word
        parts = list(w[:-1]) + [w[-1] + "</w>"]
        cur = parts[0]
        for p in parts[1:]:
            merge = f"{cur} {p}"
            if merge not in merges:
                merges.append(merge)
            cur = cur + p
            vocab.setdefault(cur, len(vocab))
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return vocab, merges


def bpe_encode(text, vocab, merges):
    """Reference BPE: lower-case, split into letter runs / punctuation, merge by rank."""
    import re
    ranks = {tuple(m.split(" ")): i for i, m in enumerate(merges)}
    ids = [vocab["<|startoftext|>"]]
    for word in re.findall(r"[a-z]+|[^\sa-z0-9]+|[0-9]", text.lower()):
        parts = list(word[:-1]) + [word[-1] + "</w>"]
        while len(parts) > 1:
            pairs = [(ranks.get((parts[i], parts[i + 1]), 1 << 30), i) for i in range(len(parts) - 1)]
            rank, i = min(pairs)
            if rank == 1 << 30:
                break
            parts = parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:]
        ids += [vocab[p] for p in parts]
    ids.append(vocab["<|endoftext|>"])
    return ids


def tokenizer_json(vocab, merges):
    sot, eot = vocab["<|startoftext|>"], vocab["<|endoftext|>"]
    special = lambda c, i: {"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
                            "normalized": True, "special": True}
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [special("<|startoftext|>", sot), special("<|endoftext|>", eot)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
            {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {
                "Regex": "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
             "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", eot],
                           "cls": ["<|startoftext|>", sot], "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": merges},
    }


# ----------------------------------------------------------------------------------------------
def write_model(out, name, cfg, gen, layouts, vocab, merges):
    model = CLIP(cfg)
    randomize(model, gen)
    model.eval()
    sd = model.state_dict()
    root = os.path.join(out, name)
    if "openclip" in layouts:
        d = os.path.join(root, "openclip")
        os.makedirs(d, exist_ok=True)
        save_safetensors(dict(sd), os.path.join(d, "open_clip_model.safetensors"))
        json.dump(open_clip_config(cfg), open(os.path.join(d, "open_clip_config.json"), "w"), indent=1)
        json.dump(tokenizer_json(vocab, merges), open(os.path.join(d, "tokenizer.json"), "w"), indent=1)
    if "hf" in layouts:
        d = os.path.join(root, "hf")
        os.makedirs(d, exist_ok=True)
        save_safetensors(to_hf_state_dict(sd, cfg), os.path.join(d, "model.safetensors"))
        json.dump(hf_config(cfg, vocab), open(os.path.join(d, "config.json"), "w"), indent=1)
        json.dump(tokenizer_json(vocab, merges), open(os.path.join(d, "tokenizer.json"), "w"), indent=1)
    return model


def reference_outputs(model, cfg, vocab, gen):
    t = cfg["text"]
    L, V = t["context_length"], t["vocab_size"]
    sot, eot = vocab["<|startoftext|>"], vocab["<|endoftext|>"]
    # Token sequences of different lengths; the pad value after EOT is deliberately not 0 for one row,
    # since nothing after EOT may matter.
    lengths = [4, 9, 13, 7]
    ids = torch.zeros(len(lengths), L, dtype=torch.int64)
    eot_idx = torch.tensor([n + 1 for n in lengths])
    for r, n in enumerate(lengths):
        ids[r, 0] = sot
        ids[r, 1:n + 1] = torch.randint(0, sot, (n,), generator=gen)
        ids[r, n + 1] = eot
        if r == 2:
            ids[r, n + 2:] = eot
    images = torch.randn(3, 3, cfg["vision"]["image_size"], cfg["vision"]["image_size"], generator=gen)

    # Prompt injection: K class prompts "SOT X X X X <class words> . EOT", context vectors replace the X.
    n_ctx, class_words = 4, [["cat"], ["small", "dog"], ["big", "picture", "of", "the", "shoe"]]
    prompt_ids = torch.zeros(len(class_words), L, dtype=torch.int64)
    prompt_eot = []
    for k, words in enumerate(class_words):
        row = [sot] + [vocab["x</w>"]] * n_ctx + [vocab[w + "</w>"] for w in words] + [vocab[".</w>"], eot]
        prompt_ids[k, :len(row)] = torch.tensor(row)
        prompt_eot.append(len(row) - 1)
    prompt_eot = torch.tensor(prompt_eot)
    contexts = 0.5 * torch.randn(2, n_ctx, t["width"], generator=gen)          # (C, n_ctx, D)

    with torch.no_grad():
        text = model.encode_text(ids, eot_idx)                                   # (4, P)
        image = model.encode_image(images)                                      # (3, P)
        tn, im = text / text.norm(dim=-1, keepdim=True), image / image.norm(dim=-1, keepdim=True)
        logits = model.logit_scale.exp() * im @ tn.t()                          # (3, 4)
        injected = []
        for c in range(contexts.shape[0]):
            emb = model.token_embedding(prompt_ids).clone()                      # (K, L, D)
            emb[:, 1:1 + n_ctx, :] = contexts[c]
            injected.append(model.encode_token_embeddings(emb, prompt_eot))      # (K, P)
        injected = torch.stack(injected)                                         # (C, K, P)
    return {
        "text_ids": ids, "text_eot": eot_idx, "text_features": text,
        "images": images, "image_features": image, "logits_per_image": logits,
        "prompt_ids": prompt_ids, "prompt_eot": prompt_eot, "contexts": contexts,
        "injected_features": injected, "context_start": torch.tensor([1]),
    }


def preprocess_goldens(out, gen):
    """CLIP's torchvision pipeline on PIL images: bicubic resize of the shorter side, center crop.

    torchvision is not a dependency here, so its size arithmetic is restated: Resize(int) keeps the shorter
    side's orientation (w <= h means width is the short side) and truncates the long side,
    int(size * long / short) (transforms.functional._compute_resized_output_size); CenterCrop offsets are
    int(round((side - size) / 2.0)) with Python's round-half-to-even.
    """
    rng = np.random.default_rng(7)
    cases = {"gray28": rng.integers(0, 256, (28, 28), dtype=np.uint8),
             "rgb40x30": rng.integers(0, 256, (30, 40, 3), dtype=np.uint8),   # long side 42.67 -> 42
             "rgb17x50": rng.integers(0, 256, (50, 17, 3), dtype=np.uint8),
             # 12 wide: size 12 is a no-op resize (Pillow copies), and crop offsets 2.5 -> 2, 6.5 -> 6
             "rgb12x17": rng.integers(0, 256, (17, 12, 3), dtype=np.uint8),
             "gray97x61": rng.integers(0, 256, (61, 97), dtype=np.uint8)}   # strong downscale, wide kernels
    tensors = {}
    for name, arr in cases.items():
        img = Image.fromarray(arr)
        img_rgb = img.convert("RGB")
        for size in (32, 12):
            w, h = img_rgb.size
            short, long = (w, h) if w <= h else (h, w)
            new_long = int(size * long / short)
            nw, nh = (size, new_long) if w <= h else (new_long, size)
            resized = img_rgb.resize((nw, nh), Image.BICUBIC)
            left, top = int(round((nw - size) / 2.0)), int(round((nh - size) / 2.0))
            crop = np.asarray(resized.crop((left, top, left + size, top + size)), dtype=np.uint8)
            tensors[f"{name}.input"] = torch.from_numpy(arr.astype(np.int32))
            tensors[f"{name}.resized{size}"] = torch.from_numpy(crop.astype(np.int32))   # (S, S, 3) uint8 values
    save_safetensors(tensors, os.path.join(out, "preprocess.safetensors"))


def augment_goldens(out):
    """RandomResizedCrop's deterministic part on PIL images: torchvision's F.resized_crop is img.crop(box)
    followed by a bicubic resize; RandomHorizontalFlip is a mirror. The boxes (top, left, h, w, flip) are fixed
    here; drawing them is tested in Java against torchvision's documented ranges."""
    rng = np.random.default_rng(11)
    cases = {"gray61x97": (rng.integers(0, 256, (61, 97), dtype=np.uint8),
                           [(0, 0, 61, 97, 0), (10, 20, 30, 25, 1), (5, 60, 50, 37, 0), (30, 3, 9, 12, 1)]),
             "rgb40x30": (rng.integers(0, 256, (30, 40, 3), dtype=np.uint8),
                          [(0, 0, 30, 40, 1), (3, 7, 16, 21, 0), (12, 1, 18, 14, 1)])}
    tensors = {}
    for name, (arr, boxes) in cases.items():
        img = Image.fromarray(arr)
        tensors[f"{name}.input"] = torch.from_numpy(arr.astype(np.int32))
        for i, (top, left, h, w, flip) in enumerate(boxes):
            view = img.crop((left, top, left + w, top + h)).resize((16, 16), Image.BICUBIC)
            if flip:
                view = view.transpose(Image.FLIP_LEFT_RIGHT)
            tensors[f"{name}.box{i}"] = torch.tensor([top, left, h, w, flip], dtype=torch.int32)
            tensors[f"{name}.view{i}"] = torch.from_numpy(np.asarray(view, dtype=np.uint8).astype(np.int32))
    save_safetensors(tensors, os.path.join(out, "augment.safetensors"))


def visual_prompt_goldens(out):
    """BlackVIP's prompted images, written from the definition with torch.nn.functional: a linear decoder on
    [code; trigger], tanh, bilinear upsampling (F.interpolate, align_corners=False), scaled, added to the
    normalised image and clamped per channel to the normalised range of [0, 1] pixels."""
    gen = torch.Generator().manual_seed(21)
    mean = torch.tensor([0.48145466, 0.4578275, 0.40821073])
    std = torch.tensor([0.26862954, 0.26130258, 0.27577711])
    tensors = {}
    # (code dim e, trigger dim t, grid g, image side S, epsilon, candidates C, images n)
    for i, (e, t, g, size, eps, c, n) in enumerate([(3, 2, 4, 10, 0.7, 2, 3), (2, 0, 5, 5, 2.5, 1, 2),
                                                      (4, 3, 3, 8, 1.0, 3, 1)]):
        o = 3 * g * g
        d = t + o * (e + t) + o
        pixels = (torch.rand(n, 3, size, size, generator=gen) - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)
        codes = torch.randn(n, e, generator=gen)
        w = torch.randn(c, d, generator=gen)
        out_c = []
        for k in range(c):
            trigger = w[k, :t]
            weight = w[k, t:t + o * (e + t)].view(o, e + t)
            bias = w[k, t + o * (e + t):]
            z = torch.cat([codes, trigger.expand(n, t)], dim=1)                    # (n, e+t)
            h = torch.tanh(F.linear(z, weight, bias)).view(n, 3, g, g)
            up = F.interpolate(h, size=(size, size), mode="bilinear", align_corners=False)
            x = pixels + eps * up
            low = ((0 - mean) / std).view(1, 3, 1, 1)
            high = ((1 - mean) / std).view(1, 3, 1, 1)
            out_c.append(torch.maximum(torch.minimum(x, high), low))
        tensors[f"case{i}.settings"] = torch.tensor([e, t, g, size, c, n], dtype=torch.int32)
        tensors[f"case{i}.epsilon"] = torch.tensor([eps], dtype=torch.float32)
        tensors[f"case{i}.pixels"] = pixels
        tensors[f"case{i}.codes"] = codes
        tensors[f"case{i}.w"] = w
        tensors[f"case{i}.prompted"] = torch.stack(out_c)                           # (C, n, 3, S, S)
    save_safetensors(tensors, os.path.join(out, "visual-prompt.safetensors"))


def main(out):
    os.makedirs(out, exist_ok=True)
    vocab, merges = build_tokenizer()
    base = {"embed_dim": 24,
            "text": {"vocab_size": len(vocab), "context_length": 77, "width": 32, "layers": 2, "heads": 4},
            "vision": {"image_size": 32, "patch_size": 8, "width": 48, "layers": 2, "heads": 4}}
    for name, act, seed, layouts in [("tiny-quickgelu", "quick_gelu", 1, ("openclip", "hf")),
                                      ("tiny-gelu", "gelu", 2, ("hf",))]:
        cfg = dict(base, act=act)
        gen = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        model = write_model(out, name, cfg, gen, layouts, vocab, merges)
        save_safetensors(reference_outputs(model, cfg, vocab, gen), os.path.join(out, name, "reference.safetensors"))
    sentences = ["a photo of a cat.", "A  big   Picture of the SHOE!", "small dog, small cat", "zebra"]
    json.dump({"sentences": sentences, "ids": [bpe_encode(s, vocab, merges) for s in sentences]},
              open(os.path.join(out, "tokenizer_cases.json"), "w"), indent=1)
    preprocess_goldens(out, None)
    augment_goldens(out)
    visual_prompt_goldens(out)
    print("wrote goldens to", out)


if __name__ == "__main__":
    torch.set_num_threads(1)
    main(sys.argv[1] if len(sys.argv) > 1 else "model-runtime/src/test/resources/golden")
