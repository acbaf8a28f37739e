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

GLYPH_SPAN, GLYPH_SAMPLES, GLYPH_FILL = 3.0, 60, 0.7  # the sketch inside a node: x in ±span
EDGE_LAYER, NODE_LAYER, BOX_LAYER = 0, 1, 2  # drawing order: boxes over nodes over connections
JUNCTION_AT = 0.42  # the "sum" junction, as a fraction of the column gap before a node
WEIGHT_AT, WEIGHT_AT_MANY, BIAS_AT = 0.33, 0.4, 0.75  # box positions along a connection


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
    a junction marked "sum"; the bias box sits between that junction and the node.
    """

    def __init__(self, network: Network, width: float = 12.0, height: float = 2.6,
                 node_size: float = 0.7, label_size: float = theme.SMALL_SIZE,
                 show_values: bool = True) -> None:
        super().__init__()
        self.network = network
        sizes = [len(network.inputs)] + [layer.size for layer in network.layers]
        xs = np.linspace(-width / 2 + node_size / 2, width / 2 - node_size / 2, len(sizes))
        self.nodes: list[list[Square]] = []
        for x, size in zip(xs, sizes):
            spacing = height / max(max(sizes) - 1, 1)
            ys = (np.arange(size)[::-1] - (size - 1) / 2) * spacing
            column = [Square(node_size, stroke_color=theme.INK, stroke_width=3, fill_color=theme.BOX_FILL,
                             fill_opacity=1).move_to([x, y, 0]).set_z_index(NODE_LAYER) for y in ys]
            self.nodes.append(column)
        self.edges: dict[tuple[int, int, int], Line] = {}
        self.weight_boxes: dict[tuple[int, int, int], ValueBox] = {}
        self.bias_boxes: dict[tuple[int, int], ValueBox] = {}
        self.junctions: dict[tuple[int, int], VGroup] = {}
        self.glyphs: dict[tuple[int, int], VMobject] = {}
        gap = xs[1] - xs[0] if len(xs) > 1 else width
        for k, layer in enumerate(network.layers, start=1):
            for i, node in enumerate(self.nodes[k]):
                many = show_values and layer.weights.shape[1] > 1
                entry = node.get_left() + LEFT * (JUNCTION_AT * gap if many else 0)
                for j, source in enumerate(self.nodes[k - 1]):
                    edge = Line(source.get_right(), entry, stroke_color=theme.GREY, stroke_width=3)
                    self.edges[k, i, j] = edge
                    if not show_values:
                        continue
                    box = ValueBox(term("×", layer.weights[i, j]), label_size)
                    self.weight_boxes[k, i, j] = box.move_to(edge.point_from_proportion(WEIGHT_AT_MANY if many else WEIGHT_AT))
                if layer.activation != "identity":
                    self.glyphs[k, i] = activation_glyph(layer.activation, node_size).move_to(node).set_z_index(BOX_LAYER)
                if not show_values:
                    continue
                bias_at = (entry + node.get_left()) / 2 if many else \
                    self.edges[k, i, 0].point_from_proportion(BIAS_AT)
                if many:
                    self.edges[k, i, -1] = Line(entry, node.get_left(), stroke_color=theme.GREY, stroke_width=3)
                    marker = Dot(entry, radius=0.05, color=theme.GREY)
                    word = theme.text("sum", label_size, theme.SOFT_INK).next_to(marker, UP, buff=0.08)
                    self.junctions[k, i] = VGroup(marker, word)
                self.bias_boxes[k, i] = ValueBox(term("+", layer.biases[i]), label_size).move_to(bias_at)
        self.input_labels = VGroup(*[theme.text(name, theme.LABEL_SIZE).next_to(node, DOWN, buff=0.12)
                                     for name, node in zip(network.inputs, self.nodes[0])])
        self.output_labels = VGroup(*[theme.text(name, theme.LABEL_SIZE).next_to(node, DOWN, buff=0.12)
                                      for name, node in zip(network.outputs, self.nodes[-1])])
        self.add(VGroup(*self.edges.values()), *(node for column in self.nodes for node in column),
                 VGroup(*self.glyphs.values()), VGroup(*self.junctions.values()),
                 VGroup(*self.weight_boxes.values()), VGroup(*self.bias_boxes.values()),
                 self.input_labels, self.output_labels)

    def node(self, column: int, index: int) -> Square:
        return self.nodes[column][index]

    def toward_middle(self, column: int, index: int) -> np.ndarray:
        """UP or DOWN: from a node towards the vertical middle of the diagram (free space)."""
        return DOWN if self.nodes[column][index].get_y() > self.get_y() else UP

    def path(self, node: int) -> VGroup:
        """The first hidden layer's node `node` with its incoming connection and boxes."""
        parts = [self.edges[1, node, j] for j in range(len(self.nodes[0]))]
        parts += [self.weight_boxes[1, node, j] for j in range(len(self.nodes[0]))]
        return VGroup(*parts, self.bias_boxes[1, node], self.nodes[1][node])

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
                        for mob in (edge, self.weight_boxes[layer, i, j])])
