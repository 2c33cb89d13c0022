package dev.tessera.stages.train.models;

import ai.djl.training.loss.Loss;
import dev.tessera.stages.train.LossFactory;

/**
 * Binary cross-entropy plus soft Dice ({@code bce-dice}), the usual loss of segmentation nets: the sum of
 * {@link BinaryCrossEntropy}'s mean over every pixel and class and {@link DiceLoss}'s {@code 1 - mean_c D_c} over the
 * batch's pixels. With per-pixel logits {@code (N, K, H, W)} and masks {@code (N, H, W)} every pixel is one row of
 * both; with {@code (N, K)} logits it is the same sum per sample. BCE gives every pixel a gradient; Dice weighs
 * each class alike however few pixels it has (ISBI's membranes are about a fifth of the image).
 */
public final class BceDiceLoss implements LossFactory {
  /** The registry name. */
  public static final String NAME = "bce-dice";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "binary cross-entropy + soft Dice, per pixel for segmentation masks";
  }

  @Override
  public Loss newLoss() {
    return new OneHotLoss(NAME, (logits, targets) -> BinaryCrossEntropy.elementwise(logits, targets).mean()
        .add(DiceLoss.dice(logits, targets)));
  }
}
