package dev.tessera.stages.ingest;

import dev.tessera.transforms.sample.Box;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Reads one Pascal VOC annotation: {@code <object><name>} and {@code <bndbox>} (xmin, ymin, xmax, ymax, taken as
 * pixel coordinates as written) of every object, checking {@code <size>} against the decoded image.
 */
final class VocAnnotation {
  private VocAnnotation() {}

  /**
   * The boxes, in file order; a class name missing from {@code classIndex} gives class id -1.
   *
   * @throws BadInputException for XML that does not parse, a missing or non-numeric coordinate, or a size that
   *     differs from the image's
   */
  static List<Box> parse(String xml, Map<String, Integer> classIndex, int imageWidth, int imageHeight)
      throws BadInputException {
    Element root = document(xml).getDocumentElement();
    Element size = child(root, "size");
    if (size != null) {
      int width = (int) number(size, "width");
      int height = (int) number(size, "height");
      if (width != imageWidth || height != imageHeight) {
        throw new BadInputException("annotation says the image is " + width + "x" + height + ", but it is "
            + imageWidth + "x" + imageHeight);
      }
    }
    List<Box> boxes = new ArrayList<>();
    NodeList objects = root.getElementsByTagName("object");
    for (int i = 0; i < objects.getLength(); i++) {
      Element object = (Element) objects.item(i);
      String name = text(object, "name");
      Element box = child(object, "bndbox");
      if (box == null) {
        throw new BadInputException("object #" + i + " ('" + name + "') has no <bndbox>");
      }
      boxes.add(new Box(number(box, "xmin"), number(box, "ymin"), number(box, "xmax"), number(box, "ymax"),
          classIndex.getOrDefault(name, -1)));
    }
    return boxes;
  }

  /** The object names in an annotation, for discovering a dataset's classes. */
  static List<String> names(String xml) throws BadInputException {
    NodeList objects = document(xml).getDocumentElement().getElementsByTagName("object");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < objects.getLength(); i++) {
      names.add(text((Element) objects.item(i), "name"));
    }
    return names;
  }

  private static Document document(String xml) throws BadInputException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      // Annotations are data, not documents: no DTDs, no external entities.
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(new InputSource(new StringReader(xml)));
    } catch (SAXException | IOException e) {
      throw new BadInputException("unparsable VOC XML: " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the XML parser cannot be configured safely", e);
    }
  }

  private static Element child(Element parent, String name) {
    NodeList nodes = parent.getElementsByTagName(name);
    return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
  }

  private static String text(Element parent, String name) throws BadInputException {
    Element element = child(parent, name);
    if (element == null) {
      throw new BadInputException("<" + parent.getTagName() + "> has no <" + name + ">");
    }
    return element.getTextContent().strip();
  }

  private static float number(Element parent, String name) throws BadInputException {
    String value = text(parent, name);
    try {
      return Float.parseFloat(value);
    } catch (NumberFormatException e) {
      throw new BadInputException("<" + parent.getTagName() + "><" + name + "> is not a number: '" + value + "'");
    }
  }
}
