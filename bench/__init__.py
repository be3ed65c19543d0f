"""The benchmark: the gate against git, pathspec and networkx on large generated inputs."""
