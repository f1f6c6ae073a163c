package io.memroos.memory.embed;

/** Vector arithmetic shared by the embedders and the vector index. */
public final class Vectors {

    private Vectors() {
    }

    /**
     * Unit length, for dot-product comparison: a copy when {@code v} is not already of unit length (within 1e-5); a
     * zero vector stays as it is.
     */
    public static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0 || Math.abs(norm - 1) < 1e-5) {
            return v;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }
}
