/** Programs that print Tessera kernel throughput as ratios to OpenCV, measured side by side. */
package dev.tessera.benchmarks;
