package dev.lockstep.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.RequestTooLargeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the body of {@code POST /v1/features} in one streaming pass:
 *
 * <pre>{@code
 * {"service": "fraud_model", "entity": {"card_id": "c-1"}, "context": {...}}
 * {"features": ["card_txn:txn_count_5m"], "entities": [{"card_id": "c-1"}, ...]}
 * }</pre>
 *
 * Unknown fields are skipped; a null field counts as absent. The result is either a {@link
 * FeatureRequest} ({@code entity}) or a {@link BatchFeatureRequest} ({@code entities}).
 */
final class FeatureRequestReader {
  private FeatureRequestReader() {}

  /**
   * @throws HttpProblem 400 naming the field that is missing or of the wrong type
   * @throws IOException if the body cannot be read or is not well-formed JSON
   */
  static Object read(JsonParser parser, int maxEntities) throws IOException {
    Optional<String> service = Optional.empty();
    List<String> features = List.of();
    Map<String, Object> entity = null;
    List<Map<String, Object>> entities = null;
    Map<String, Object> context = Map.of();
    expectObjectBody(parser);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if (token == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "service":
          service = Optional.of(string(parser, "field 'service'"));
          break;
        case "features":
          features = strings(parser);
          break;
        case "entity":
          entity = object(parser, "field 'entity'", "an object of join keys such as {\"card_id\": \"c-17\"}");
          break;
        case "entities":
          entities = objects(parser, maxEntities);
          break;
        case "context":
          context = object(parser, "field 'context'", "an object of request fields");
          break;
        default:
          parser.skipChildren();
      }
    }
    expectEnd(parser);
    if (entity != null && entities != null) {
      throw HttpProblem.badRequest("Cannot read the request: it has both 'entity' and 'entities' "
          + "(use 'entity' for one entity, 'entities' for a batch)");
    }
    if (entity == null && entities == null) {
      throw HttpProblem.badRequest("Cannot read the request: field 'entity' is missing "
          + "(give the join keys, e.g. \"entity\": {\"card_id\": \"c-17\"}, or 'entities' for a batch)");
    }
    try {
      return entity != null
          ? new FeatureRequest(service, features, entity, context)
          : new BatchFeatureRequest(service, features, entities, context);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest(e.getMessage());
    }
  }

  /** Moves to the body's first token, which must open an object. */
  static void expectObjectBody(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw HttpProblem.badRequest("Cannot read the request: the body is empty (send a JSON object)");
    }
    if (token != JsonToken.START_OBJECT) {
      throw HttpProblem.badRequest("Cannot read the request: the body must be a JSON object, not " + describe(token));
    }
  }

  /** Checks that nothing but whitespace follows the body's value. */
  static void expectEnd(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token != null) {
      throw HttpProblem.badRequest("Cannot read the request: unexpected " + describe(token)
          + " after the JSON object at line " + parser.currentLocation().getLineNr());
    }
  }

  private static String string(JsonParser parser, String what) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw wrongType(what, "a string", parser.currentToken());
    }
    return parser.getText();
  }

  private static List<String> strings(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw wrongType("field 'features'", "an array of feature references such as [\"card_txn:txn_count_5m\"]",
          parser.currentToken());
    }
    List<String> strings = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      strings.add(string(parser, "element " + strings.size() + " of field 'features'"));
    }
    return strings;
  }

  private static Map<String, Object> object(JsonParser parser, String what, String expected) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw wrongType(what, expected, parser.currentToken());
    }
    return Json.readObject(parser, what);
  }

  private static List<Map<String, Object>> objects(JsonParser parser, int maxEntities) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw wrongType("field 'entities'", "an array of join-key objects", parser.currentToken());
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (objects.size() == maxEntities) { // refused before the rest is read
        throw new RequestTooLargeException("Cannot get features: the batch holds more than " + maxEntities
            + " entities, the most one request may (split it into smaller batches)");
      }
      String what = "element " + objects.size() + " of field 'entities'";
      objects.add(object(parser, what, "an object of join keys"));
    }
    return objects;
  }

  static HttpProblem wrongType(String what, String expected, JsonToken actual) {
    return HttpProblem.badRequest("Cannot read the request: " + what + " must be " + expected
        + ", not " + describe(actual));
  }

  /** A JSON token as a user would name it. */
  static String describe(JsonToken token) {
    if (token == null) {
      return "the end of the body";
    }
    switch (token) {
      case START_OBJECT: return "an object";
      case START_ARRAY: return "an array";
      case VALUE_STRING: return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT: return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE: return "a boolean";
      case VALUE_NULL: return "null";
      default: return token.toString();
    }
  }
}
