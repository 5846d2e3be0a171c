"""Shortest-path distance matrix over a network's vertices."""
import heapq
import multiprocessing as mp
from itertools import repeat

import numpy as np


def dijkstra(network, source):
    distance = {v: np.inf for v in network.vertex_list}
    pred = {v: None for v in network.vertex_list}
    distance[source] = 0.0
    heap = [(0.0, source)]
    while heap:
        d, v = heapq.heappop(heap)
        if d > distance[v]:
            continue
        for nbr, w in network.adjacency[v]:
            if d + w < distance[nbr]:
                distance[nbr], pred[nbr] = d + w, v
                heapq.heappush(heap, (d + w, nbr))
    return [distance[v] for v in network.vertex_list], [pred[v] for v in network.vertex_list]


def dijkstra_mp(args):
    network, source = args
    return dijkstra(network, source)


class Network:
    def __init__(self, vertex_list, adjacency):
        self.vertex_list = list(vertex_list)
        self.adjacency = adjacency

    def full_distance_matrix(self, n_processes=1):
        nvtx = len(self.vertex_list)
        self.distance_matrix = np.empty((nvtx, nvtx))
        if n_processes == 1:
            distance_pred = [dijkstra(self, v) for v in self.vertex_list]
        else:
            cores = mp.cpu_count() if n_processes == "all" else n_processes
            p = mp.Pool(processes=cores)  # leak
            distance_pred = p.map(dijkstra_mp, zip(repeat(self), self.vertex_list))
        for row, (distance, _pred) in enumerate(distance_pred):
            self.distance_matrix[row] = distance
        return self.distance_matrix
