"""The network diagram: square nodes, connections with weight and bias boxes, activation glyphs."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    Dot,
    Line,
    RoundedRectangle,
    Square,
    Succession,
    Transform,
    VGroup,
    VMobject,
)

from nnmath import Network, activations
from nnmath.display import term
from scenes import theme
from scenes.layout import collisions

GLYPH_SPAN, GLYPH_SAMPLES, GLYPH_FILL = 3.0, 60, 0.7  # the sketch inside a node: x in ±span
NODE_FILL = 0.6  # a node's side, as a fraction of the spacing between nodes in the tallest column
SUM_WORD_SPACING = 0.75  # below this spacing the junctions carry no "sum" word
WEIGHT_SPOTS = (0.33, 0.4, 0.5, 0.6)  # where along its connection a weight box may sit, in order of preference
WEIGHT_STAGGER = 0.3  # weight boxes of crossing connections spread this far along their lines
EDGE_LAYER, NODE_LAYER, BOX_LAYER, TAG_LAYER = 0, 1, 2, 3  # drawing order, from the back
JUNCTION_AT = 0.42  # the "sum" junction, as a fraction of the column gap before a node
LABEL_GAP = 0.04  # the least space kept between two labels
BIAS_AT = 0.75  # a bias box's place along a node's single incoming connection


class ValueBox(VGroup):
    """A number in a small white box, as it sits on a connection."""

    def __init__(self, label: str, size: float = theme.SMALL_SIZE, color=theme.INK) -> None:
        self.label = theme.text(label, size, color)
        self.frame = RoundedRectangle(
            corner_radius=0.06, width=self.label.width + 0.2, height=self.label.height + 0.16,
            stroke_color=theme.GREY, stroke_width=1.5, fill_color=theme.BOX_FILL, fill_opacity=1)
        self.frame.move_to(self.label)
        super().__init__(self.frame, self.label)
        self.set_z_index(BOX_LAYER)

    def emphasize(self, color, grow: float = 1.3) -> Succession:
        """Swell, take on `color` (outline and number), settle back to size."""
        swollen = self.copy().scale(grow)
        swollen.frame.set_stroke(color, width=3)
        swollen.label.set_color(color)
        return Succession(Transform(self, swollen), Transform(self, swollen.copy().scale(1 / grow)))


def value_tag(label: str, color, size: float = theme.LABEL_SIZE) -> ValueBox:
    """A computed value, outlined in its path's colour, drawn above the diagram's own boxes."""
    tag = ValueBox(label, size, color).set_z_index(TAG_LAYER)
    tag.frame.set_stroke(color, width=2)
    return tag


def activation_glyph(name: str, size: float) -> VMobject:
    """A small grey sketch of an activation over x in [-3, 3], fitted inside a square of `size`."""
    xs = np.linspace(-GLYPH_SPAN, GLYPH_SPAN, GLYPH_SAMPLES)
    ys = activations.get(name)(xs)
    ys = (ys - ys.min()) / max(float(np.ptp(ys)), np.finfo(float).eps) - 0.5
    points = np.column_stack([xs / (2 * GLYPH_SPAN) * size * GLYPH_FILL, ys * size * GLYPH_FILL, np.zeros_like(xs)])
    curve = VMobject(stroke_color=theme.GREY, stroke_width=3)
    curve.set_points_as_corners(points)
    return curve


class NetworkDiagram(VGroup):
    """Columns of square nodes joined by connections that carry their parameters.

    Columns are numbered as in ``Network.trace``: column 0 holds the inputs, column k the
    nodes of ``network.layers[k - 1]``. Nodes with several incoming connections gather them at
    a junction (marked "sum" when there is room); the bias box sits between junction and node.
    Sizes follow from the space: nodes shrink for tall columns, and a layer's value boxes are
    left out when they would overlap (`hidden_values` lists those layers).
    """

    def __init__(self, network: Network, width: float = 12.0, height: float = 2.6,
                 node_size: float = 0.7, label_size: float = theme.SMALL_SIZE,
                 show_values: bool = True) -> None:
        super().__init__()
        self.network = network
        sizes = [len(network.inputs)] + [layer.size for layer in network.layers]
        spacing = height / max(max(sizes) - 1, 1)
        node_size = min(node_size, spacing * NODE_FILL) if max(sizes) > 1 else node_size
        xs = np.linspace(-width / 2 + node_size / 2, width / 2 - node_size / 2, len(sizes))
        self.nodes: list[list[Square]] = []
        for x, size in zip(xs, sizes):
            ys = (np.arange(size)[::-1] - (size - 1) / 2) * spacing
            column = [Square(node_size, stroke_color=theme.INK, stroke_width=3, fill_color=theme.BOX_FILL,
                             fill_opacity=1).move_to([x, y, 0]).set_z_index(NODE_LAYER) for y in ys]
            self.nodes.append(column)
        self.edges: dict[tuple[int, int, int], Line] = {}
        self.weight_boxes: dict[tuple[int, int, int], ValueBox] = {}
        self.bias_boxes: dict[tuple[int, int], ValueBox] = {}
        self.junctions: dict[tuple[int, int], VGroup] = {}
        self.glyphs: dict[tuple[int, int], VMobject] = {}
        self.hidden_values: set[int] = set()
        gap = xs[1] - xs[0] if len(xs) > 1 else width
        all_nodes = [node for column in self.nodes for node in column]
        self.input_labels = VGroup(*[theme.text(name, theme.LABEL_SIZE).next_to(node, DOWN, buff=0.12)
                                     for name, node in zip(network.inputs, self.nodes[0])])
        self.output_labels = VGroup(*[theme.text(name, theme.LABEL_SIZE).next_to(node, DOWN, buff=0.12)
                                      for name, node in zip(network.outputs, self.nodes[-1])])
        for k, layer in enumerate(network.layers, start=1):
            self._connect(k, layer, gap, spacing, label_size, node_size)
            if show_values:
                self._label(k, layer, label_size, all_nodes)
        self.add(VGroup(*self.edges.values()), *all_nodes,
                 VGroup(*self.glyphs.values()), VGroup(*self.junctions.values()),
                 VGroup(*self.weight_boxes.values()), VGroup(*self.bias_boxes.values()),
                 self.input_labels, self.output_labels)

    def _connect(self, k: int, layer, gap: float, spacing: float, label_size: float, node_size: float) -> None:
        """Connections into column k, junctions for nodes with several inputs, activation glyphs."""
        many = layer.weights.shape[1] > 1
        for i, node in enumerate(self.nodes[k]):
            entry = node.get_left() + LEFT * (JUNCTION_AT * gap if many else 0)
            for j, source in enumerate(self.nodes[k - 1]):
                self.edges[k, i, j] = Line(source.get_right(), entry, stroke_color=theme.GREY, stroke_width=3)
            if many:
                self.edges[k, i, -1] = Line(entry, node.get_left(), stroke_color=theme.GREY, stroke_width=3)
                junction = VGroup(Dot(entry, radius=0.05, color=theme.GREY))
                if spacing >= SUM_WORD_SPACING:
                    junction.add(theme.text("sum", label_size, theme.SOFT_INK).next_to(junction[0], UP, buff=0.08))
                self.junctions[k, i] = junction
            if layer.activation != "identity":
                glyph = activation_glyph(layer.activation, node_size)
                self.glyphs[k, i] = glyph.move_to(node).set_z_index(BOX_LAYER)

    def _label(self, k: int, layer, label_size: float, nodes: list[Square]) -> None:
        """Weight and bias boxes for column k, at the first spot along the connections where none
        collide; a kind of box that fits nowhere is left out for this layer (see `hidden_values`)."""
        fan_in, many = layer.weights.shape[1], layer.weights.shape[1] > 1
        fixed = [*self.junctions.values(), *nodes, *self.weight_boxes.values(), *self.bias_boxes.values(),
                 *self.input_labels, *self.output_labels]
        biases = {}
        for i in range(layer.size):
            at = self.edges[k, i, -1].get_center() if many else self.edges[k, i, 0].point_from_proportion(BIAS_AT)
            biases[k, i] = ValueBox(term("+", layer.biases[i]), label_size).move_to(at)
        if not collisions([*biases.values(), *fixed], margin=LABEL_GAP):
            self.bias_boxes.update(biases)
            fixed += biases.values()
        for spot in WEIGHT_SPOTS:
            weights = {}
            for i in range(layer.size):
                for j in range(fan_in):
                    where = spot + WEIGHT_STAGGER * (j / (fan_in - 1) - 0.5) if many and layer.size > 1 else spot
                    box = ValueBox(term("×", layer.weights[i, j]), label_size)
                    weights[k, i, j] = box.move_to(self.edges[k, i, j].point_from_proportion(where))
            if not collisions([*weights.values(), *fixed], margin=LABEL_GAP):
                self.weight_boxes.update(weights)
                break
        if (k, 0, 0) not in self.weight_boxes or (k, 0) not in self.bias_boxes:
            self.hidden_values.add(k)

    def node(self, column: int, index: int) -> Square:
        return self.nodes[column][index]

    def toward_middle(self, column: int, index: int) -> np.ndarray:
        """UP or DOWN: from a node towards the vertical middle of the diagram (free space)."""
        return DOWN if self.nodes[column][index].get_y() > self.get_y() else UP

    def path(self, node: int) -> VGroup:
        """The first hidden layer's node `node` with its incoming connection and boxes."""
        keys = [(1, node, j) for j in range(len(self.nodes[0]))]
        parts = [self.edges[key] for key in keys] + [self.weight_boxes[key] for key in keys
                                                     if key in self.weight_boxes]
        if (1, node) in self.bias_boxes:
            parts.append(self.bias_boxes[1, node])
        return VGroup(*parts, self.nodes[1][node])

    def incoming(self, column: int, node: int) -> list[Line]:
        """The connections into node `node` of `column`, the junction's short line included."""
        return [edge for (k, i, _), edge in self.edges.items() if k == column and i == node]

    def path_edges(self, node: int) -> list[Line]:
        """The connections into and out of the first hidden layer's node `node`."""
        parts = VGroup(self.path(node), self.outgoing(1, node))
        return [mob for mob in parts.family_members_with_points() if isinstance(mob, Line)]

    def color_path(self, node: int, color, width: float = 5) -> NetworkDiagram:
        for edge in self.path_edges(node):
            edge.set_stroke(color, width=width)
        return self

    def outgoing(self, column: int, node: int) -> VGroup:
        """Connections and weight boxes leaving a node towards the next column."""
        k = column + 1
        return VGroup(*[mob for (layer, i, j), edge in self.edges.items() if layer == k and j == node
                        for mob in (edge, self.weight_boxes.get((layer, i, j))) if mob is not None])
