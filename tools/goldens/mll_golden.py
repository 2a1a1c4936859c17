"""Golden vectors for MLL's selection math (model-runtime dev.vlmadapt.runtime.select), computed with numpy from
the definitions in MLL's paper and released code, independently of the Java code.

    python3 tools/goldens/mll_golden.py model-runtime/src/test/resources/golden/mll.json
"""
import json
import sys

import numpy as np

rng = np.random.default_rng(7)


def unit(a):
    return a / np.linalg.norm(a, axis=-1, keepdims=True)


C, N, D, M, IMAGES, PER_CLASS, ALPHA, K = 4, 12, 6, 3, 40, 3, 0.7, 2
classes = unit(rng.normal(size=(C, D))).astype(np.float32)
nodes = unit(rng.normal(size=(N, D))).astype(np.float32)
# A small forest: nodes 0-7 are leaves, 8-10 their parents, 11 the root.
parents = {0: [8], 1: [8], 2: [8], 3: [9], 4: [9], 5: [10], 6: [10], 7: [10], 8: [11], 9: [11], 10: [11], 11: []}


def above(v):
    out, todo = [], [v]
    while todo:
        u = todo.pop()
        if u not in out:
            out.append(u)
            todo.extend(parents[u])
    return sorted(out)


leaf = rng.integers(0, 8, size=IMAGES)
members = [above(int(v)) for v in leaf]
sims = rng.normal(size=(M, IMAGES, N)).astype(np.float32)

# Matching: cosine, top PER_CLASS nodes per class (stable: ties to the lower index), columns scaled to sum 1.
S = classes.astype(np.float64) @ nodes.astype(np.float64).T          # (C, N)
top = [list(np.argsort(-S[y], kind="stable")[:PER_CLASS]) for y in range(C)]
selected = sorted(set(int(v) for t in top for v in t))
Z = np.zeros((len(selected), C))
for y in range(C):
    w = np.maximum(S[y, top[y]], 0)
    w = w / w.sum() if w.sum() > 0 else np.full(len(w), 1 / len(w))
    for v, wv in zip(top[y], w):
        Z[selected.index(v), y] = wv

# Node scores: images under a selected node, argmax over the selected nodes, 2TP / (2TP + FP + P).
member = np.array([[v in m for v in selected] for m in members])     # (IMAGES, |sel|)
keep = member.any(axis=1)
node_scores = []
for m in range(M):
    pred = np.argmax(sims[m][:, selected], axis=1)                     # (IMAGES,)
    onehot = np.eye(len(selected), dtype=bool)[pred] & keep[:, None]
    tp = (onehot & member).sum(axis=0)
    fp = (onehot & ~member).sum(axis=0)
    pos = (member & keep[:, None]).sum(axis=0)
    den = 2 * tp + fp + pos
    node_scores.append(np.where(den > 0, 2 * tp / np.maximum(den, 1), 0.0))
node_scores = np.array(node_scores)                                    # (M, |sel|)

p = node_scores @ Z                                                    # (M, C)
others = (p.sum(axis=1, keepdims=True) - p) / (C - 1)
r = ALPHA * p + (1 - ALPHA) * others
chosen = [list(np.argsort(-r[:, y], kind="stable")[:K]) for y in range(C)]

# Reuse: entropy-weighted vote of each class's chosen models.
logits = rng.normal(size=(M, 20, C)) * 2
probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)   # (M, 20, C)
H = -(probs * np.log(probs)).sum(axis=-1)                             # (M, 20)
w = 1 / np.maximum(H, 1e-6)
score = np.zeros((20, C))
for y in range(C):
    for m in chosen[y]:
        score[:, y] += w[m] * probs[m, :, y]
pred = np.argmax(score, axis=1)

out = {
    "per_class": PER_CLASS, "alpha": ALPHA, "k": K,
    "classes": classes.tolist(), "nodes": nodes.tolist(), "members": members,
    "sims": sims.tolist(),
    "selected": selected, "weights": Z.tolist(), "node_scores": node_scores.tolist(),
    "class_scores": p.tolist(), "mixed_scores": r.tolist(), "chosen": [[int(x) for x in c] for c in chosen],
    "probabilities": probs.tolist(), "ensemble": pred.tolist(),
}
with open(sys.argv[1], "w") as f:
    json.dump(out, f)
print("wrote", sys.argv[1], "selected", selected, "chosen", out["chosen"])
