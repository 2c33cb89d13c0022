package dev.tessera.stages.ingest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Tiny datasets for always-on tests, written into a temporary folder: images drawn in code (a colored rectangle on
 * a gray background, so decoded pixels are known) with hand-written VOC XML, COCO JSON and YOLO labels whose boxes
 * are known exactly.
 */
final class IngestFixtures {
  private IngestFixtures() {}

  /** Writes a {@code width x height} RGB image, background (40,40,40), a red block at (8,8)-(24,24). */
  static Path image(Path file, int width, int height, String format) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(40, 40, 40));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(250, 0, 0));
    g.fillRect(8, 8, 16, 16);
    g.dispose();
    return write(file, image, format);
  }

  /** Writes a gray image with every pixel {@code value}. */
  static Path grayImage(Path file, int width, int height, int value) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, value);
      }
    }
    return write(file, image, "png");
  }

  /** Writes an RGBA PNG (four channels). */
  static Path rgbaImage(Path file, int width, int height) throws IOException {
    return write(file, new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB), "png");
  }

  private static Path write(Path file, BufferedImage image, String format) throws IOException {
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(image, format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
    return file;
  }

  static void text(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  static String vocXml(String file, int width, int height, String... objects) {
    StringBuilder xml = new StringBuilder("<annotation><filename>" + file + "</filename><size><width>" + width
        + "</width><height>" + height + "</height><depth>3</depth></size>");
    for (String object : objects) {
      String[] p = object.split(" "); // name xmin ymin xmax ymax
      xml.append("<object><name>").append(p[0]).append("</name><bndbox><xmin>").append(p[1]).append("</xmin><ymin>")
          .append(p[2]).append("</ymin><xmax>").append(p[3]).append("</xmax><ymax>").append(p[4])
          .append("</ymax></bndbox></object>");
    }
    return xml.append("</annotation>").toString();
  }

  /**
   * A VOC dataset: a, b, c (64x48 JPEG) with train = a, b and test = c; classes cat, dog.
   * a: cat (8,8)-(24,24) and dog (30,10)-(60,40); b: dog (0,0)-(64,48); c: cat (1,2)-(3,4).
   */
  static Path voc(Path root) throws IOException {
    for (String name : new String[] {"a", "b", "c"}) {
      image(root.resolve("JPEGImages/" + name + ".jpg"), 64, 48, "jpg");
    }
    text(root.resolve("Annotations/a.xml"), vocXml("a.jpg", 64, 48, "cat 8 8 24 24", "dog 30 10 60 40"));
    text(root.resolve("Annotations/b.xml"), vocXml("b.jpg", 64, 48, "dog 0 0 64 48"));
    text(root.resolve("Annotations/c.xml"), vocXml("c.jpg", 64, 48, "cat 1 2 3 4"));
    text(root.resolve("ImageSets/Main/train.txt"), "a\nb\n");
    text(root.resolve("ImageSets/Main/test.txt"), "c\n");
    return root;
  }

  /**
   * A COCO dataset: categories 1 person, 3 car, 7 train (class ids 0, 1, 2); images x.jpg (64x48) with boxes
   * person [2,4,10,20] and train [30,5,20,30], y.png (gray 32x32) with car [0,0,32,32] and a crowd annotation,
   * and z.jpg, listed but missing.
   */
  static Path coco(Path root) throws IOException {
    image(root.resolve("images/train/x.jpg"), 64, 48, "jpg");
    grayImage(root.resolve("images/train/y.png"), 32, 32, 77);
    text(root.resolve("annotations/instances_train.json"), """
        {"images": [{"id": 10, "file_name": "x.jpg", "width": 64, "height": 48},
                    {"id": 11, "file_name": "y.png", "width": 32, "height": 32},
                    {"id": 12, "file_name": "z.jpg", "width": 64, "height": 48}],
         "annotations": [{"id": 1, "image_id": 10, "category_id": 1, "bbox": [2, 4, 10, 20], "iscrowd": 0},
                         {"id": 2, "image_id": 10, "category_id": 7, "bbox": [30, 5, 20, 30], "iscrowd": 0},
                         {"id": 3, "image_id": 11, "category_id": 3, "bbox": [0, 0, 32, 32], "iscrowd": 0},
                         {"id": 4, "image_id": 11, "category_id": 3, "bbox": [0, 0, 5, 5], "iscrowd": 1}],
         "categories": [{"id": 7, "name": "train"}, {"id": 1, "name": "person"}, {"id": 3, "name": "car"}]}
        """);
    return root;
  }

  /**
   * A YOLO dataset (split train, classes.txt a, b): p.jpg 100x50 with "1 0.5 0.5 0.2 0.4" (pixels 40,15-60,35),
   * q.jpg 100x50 without a label file, and r.txt without an image.
   */
  static Path yolo(Path root) throws IOException {
    image(root.resolve("images/train/p.jpg"), 100, 50, "jpg");
    image(root.resolve("images/train/q.jpg"), 100, 50, "jpg");
    text(root.resolve("labels/train/p.txt"), "1 0.5 0.5 0.2 0.4\n");
    text(root.resolve("labels/train/r.txt"), "0 0.5 0.5 0.1 0.1\n");
    text(root.resolve("classes.txt"), "a\nb\n");
    return root;
  }

  /** Image folders: train/{cats,dogs}/{1,2}.png, 16x16. */
  static Path folders(Path root) throws IOException {
    for (String cls : new String[] {"cats", "dogs"}) {
      for (String n : new String[] {"1", "2"}) {
        image(root.resolve("train/" + cls + "/" + n + ".png"), 16, 16, "png");
      }
    }
    return root;
  }
}
