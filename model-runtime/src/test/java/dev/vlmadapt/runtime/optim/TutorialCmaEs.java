package dev.vlmadapt.runtime.optim;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * A second transcription of the tutorial's CMA-ES update (Hansen, arXiv:1604.00772, Table 1 and equations
 * (39)–(47), no active update), in commons-math matrices and the tutorial's own notation, to check {@link CmaEs}
 * against something other than itself. It takes the candidates it is told about (it does not sample) and keeps
 * C^{-1/2} from its own decompositions, of the covariance that {@link CmaEs}'s documented schedule says the
 * samples come from: the C after generation g, when due, serves from generation g + 2 on.
 */
final class TutorialCmaEs {
    final int n;
    final int lambda;
    final int mu;
    final double[] w;
    final double muEff;
    final double cSigma;
    final double dSigma;
    final double cC;
    final double c1;
    final double cMu;
    final double expectedNorm;

    RealVector m;
    double sigma;
    RealMatrix c;
    RealVector pSigma;
    RealVector pC;
    int g;
    long evaluations;
    long lastDecomposition;
    /** The C whose square roots the current samples use, and the one due to replace it after the next update. */
    RealMatrix sampled;
    RealMatrix due;

    TutorialCmaEs(double[] mean, double sigma, int lambda) {
        n = mean.length;
        this.lambda = lambda;
        mu = lambda / 2;
        double[] raw = new double[mu];
        double sum = 0;
        for (int i = 0; i < mu; i++) {
            raw[i] = Math.log((lambda + 1) / 2.0) - Math.log(i + 1);
            sum += raw[i];
        }
        w = new double[mu];
        double squares = 0;
        for (int i = 0; i < mu; i++) {
            w[i] = raw[i] / sum;
            squares += w[i] * w[i];
        }
        muEff = 1 / squares;
        cSigma = (muEff + 2) / (n + muEff + 5);
        dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
        cC = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
        c1 = 2 / (Math.pow(n + 1.3, 2) + muEff);
        cMu = Math.min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / (Math.pow(n + 2, 2) + muEff));
        expectedNorm = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21 * n * n));
        m = MatrixUtils.createRealVector(mean.clone());
        this.sigma = sigma;
        c = MatrixUtils.createRealIdentityMatrix(n);
        sampled = c;
        pSigma = MatrixUtils.createRealVector(new double[n]);
        pC = MatrixUtils.createRealVector(new double[n]);
    }

    /** @return yᵀ·C⁻¹·y for the C the current samples come from */
    double mahalanobis(double[] y) {
        RealVector v = MatrixUtils.createRealVector(y);
        return new EigenDecomposition(sampled).getSolver().solve(v).dotProduct(v);
    }

    void tell(double[][] x, double[] f) {
        Integer[] order = new Integer[lambda];
        for (int k = 0; k < lambda; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> f[a] != f[b] ? Double.compare(f[a], f[b]) : Integer.compare(a, b));
        RealVector[] y = new RealVector[mu];
        RealVector yW = MatrixUtils.createRealVector(new double[n]);
        for (int i = 0; i < mu; i++) {
            y[i] = MatrixUtils.createRealVector(x[order[i]]).subtract(m).mapDivide(sigma);
            yW = yW.add(y[i].mapMultiply(w[i]));
        }
        m = m.add(yW.mapMultiply(sigma));
        RealMatrix invSqrt = MatrixUtils.inverse(new EigenDecomposition(sampled).getSquareRoot());
        pSigma = pSigma.mapMultiply(1 - cSigma).add(invSqrt.operate(yW).mapMultiply(Math.sqrt(cSigma * (2 - cSigma)
                * muEff)));
        g++;
        double h = pSigma.getNorm() / Math.sqrt(1 - Math.pow(1 - cSigma, 2 * g)) < (1.4 + 2.0 / (n + 1)) * expectedNorm
                ? 1 : 0;
        pC = pC.mapMultiply(1 - cC).add(yW.mapMultiply(h * Math.sqrt(cC * (2 - cC) * muEff)));
        double deltaH = (1 - h) * cC * (2 - cC);
        RealMatrix rankMu = MatrixUtils.createRealMatrix(n, n);
        for (int i = 0; i < mu; i++) {
            rankMu = rankMu.add(y[i].outerProduct(y[i]).scalarMultiply(w[i]));
        }
        c = c.scalarMultiply(1 + c1 * deltaH - c1 - cMu).add(pC.outerProduct(pC).scalarMultiply(c1))
                .add(rankMu.scalarMultiply(cMu));
        sigma = sigma * Math.exp(cSigma / dSigma * (pSigma.getNorm() / expectedNorm - 1));
        evaluations += lambda;
        if (due != null) {
            sampled = due;
            due = null;
        }
        if (evaluations - lastDecomposition > lambda / (c1 + cMu) / n / 2) {
            lastDecomposition = evaluations;
            due = c;
        }
    }
}
