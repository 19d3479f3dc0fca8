"""Layer 4, the scene: a built figure (values, 3D layout, animation program, colour
ranges) and its binary scene file."""
