#!/usr/bin/python3
"""The peer's query path, for the side-by-side timing of `bin/vlmadapt bench-peer` (part of `make bench`).

SharpZO's released code scores a candidate w the way CoOp trains prompts: the context p0 + reshape(A w) is put
between the start token's embedding and the embeddings of "<class name>. <eot> <padding>" of every class prompt,
the K prompts go through the whole 77-token causal text pass, and the features at the end-of-text tokens,
projected and normalised, score the cached image features for a cross-entropy. This script does exactly that
in plain PyTorch, written for this project from that description (no code of theirs), on the model and data the
Java side wrote into DIR, and prints one JSON line: the loss, the seconds per query (median) and the settings.

    /usr/bin/python3 tools/peer/sharpzo_query.py DIR --threads T --repeats R

DIR holds a Hugging Face CLIP checkpoint (config.json, model.safetensors) and query.safetensors: token_ids (K, L),
eot (K), features (N, P), labels (N), subspace A (n*D, d), p0 (n, D) and the candidate w (d).
"""
import argparse
import json
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

_DTYPES = {"F32": np.float32, "I64": np.int64, "I32": np.int32}


def load_safetensors(path):
    """The format: a little-endian u64 header length, a JSON header (dtype, shape, data offsets), raw data."""
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(array.copy())
    return out


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Block(nn.Module):
    """Pre-LN transformer block, as in CLIP's text tower."""

    def __init__(self, sd, prefix, width, heads, act):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln_2 = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, sd[f"{prefix}.mlp.fc1.weight"].shape[0])
        self.act = QuickGELU() if act == "quick_gelu" else nn.GELU()
        self.fc2 = nn.Linear(self.fc1.out_features, width)
        a = f"{prefix}.self_attn"
        with torch.no_grad():
            self.attn.in_proj_weight.copy_(torch.cat([sd[f"{a}.{p}_proj.weight"] for p in "qkv"]))
            self.attn.in_proj_bias.copy_(torch.cat([sd[f"{a}.{p}_proj.bias"] for p in "qkv"]))
            self.attn.out_proj.weight.copy_(sd[f"{a}.out_proj.weight"])
            self.attn.out_proj.bias.copy_(sd[f"{a}.out_proj.bias"])
            for mine, theirs in [(self.ln_1, "layer_norm1"), (self.ln_2, "layer_norm2"), (self.fc1, "mlp.fc1"),
                                 (self.fc2, "mlp.fc2")]:
                mine.weight.copy_(sd[f"{prefix}.{theirs}.weight"])
                mine.bias.copy_(sd[f"{prefix}.{theirs}.bias"])

    def forward(self, x, mask):
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=mask)[0]
        return x + self.fc2(self.act(self.fc1(self.ln_2(x))))


class TextEncoder(nn.Module):
    """Token embeddings (B, L, D) -> projected features at the end-of-text tokens (B, P), over all L tokens."""

    def __init__(self, sd, cfg):
        super().__init__()
        t = cfg["text_config"]
        width, layers, heads = t["hidden_size"], t["num_hidden_layers"], t["num_attention_heads"]
        self.positional = sd["text_model.embeddings.position_embedding.weight"]          # (L, D)
        self.blocks = nn.ModuleList([Block(sd, f"text_model.encoder.layers.{i}", width, heads, t["hidden_act"])
                                     for i in range(layers)])
        self.ln_final = nn.LayerNorm(width)
        with torch.no_grad():
            self.ln_final.weight.copy_(sd["text_model.final_layer_norm.weight"])
            self.ln_final.bias.copy_(sd["text_model.final_layer_norm.bias"])
        self.projection = sd["text_projection.weight"]                                    # (P, D)
        n = self.positional.shape[0]
        self.mask = torch.full((n, n), float("-inf")).triu(1)

    def forward(self, x, eot):
        x = x + self.positional
        for block in self.blocks:
            x = block(x, self.mask)
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), eot] @ self.projection.t()


class PromptLearner(nn.Module):
    """CoOp's unified context: [SOT] + ctx(w) + [class tokens, '.', EOT, padding], the same ctx for every class."""

    def __init__(self, embedding, token_ids, p0, subspace):
        super().__init__()
        n = p0.shape[0]
        embedded = embedding[token_ids]                                                   # (K, L, D)
        self.prefix = embedded[:, :1, :]                                                  # (K, 1, D)
        self.suffix = embedded[:, 1 + n:, :]                                              # (K, L-1-n, D)
        self.p0 = p0                                                                      # (n, D)
        self.subspace = subspace                                                          # (n*D, d)

    def forward(self, w):
        ctx = self.p0 + (self.subspace @ w).view(self.p0.shape)                          # (n, D)
        k = self.prefix.shape[0]
        return torch.cat([self.prefix, ctx.unsqueeze(0).expand(k, -1, -1), self.suffix], dim=1)   # (K, L, D)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cfg = json.load(open(f"{args.dir}/config.json"))
    sd = load_safetensors(f"{args.dir}/model.safetensors")
    q = load_safetensors(f"{args.dir}/query.safetensors")
    encoder = TextEncoder(sd, cfg).eval()
    learner = PromptLearner(sd["text_model.embeddings.token_embedding.weight"], q["token_ids"], q["p0"],
                            q["subspace"])
    images = F.normalize(q["features"], dim=-1)                                           # (N, P)
    scale = sd["logit_scale"].exp()

    def query(w):
        text = F.normalize(encoder(learner(w), q["eot"]), dim=-1)                         # (K, P)
        return F.cross_entropy(scale * images @ text.t(), q["labels"]).item()

    with torch.no_grad():
        loss = query(q["w"])                                                              # also the warm-up
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            query(q["w"])
            times.append(time.perf_counter() - start)
    json.dump({"loss": loss, "query_seconds": statistics.median(times), "seconds": times,
               "threads": torch.get_num_threads(), "torch": torch.__version__,
               "classes": int(q["token_ids"].shape[0]), "tokens": int(q["token_ids"].shape[1])}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
