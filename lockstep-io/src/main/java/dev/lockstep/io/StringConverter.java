package dev.lockstep.io;

import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;

/**
 * Receives a string column's values from a Parquet column reader, decoding each dictionary entry
 * once per column chunk instead of once per row: repeated keys and categories then cost no UTF-8
 * decoding and share one {@code String}.
 */
final class StringConverter extends PrimitiveConverter {
  private Dictionary dictionary;
  private String[] decoded;
  private String value;

  /** The last value received. */
  String value() {
    return value;
  }

  @Override
  public boolean hasDictionarySupport() {
    return true;
  }

  @Override
  public void setDictionary(Dictionary dictionary) {
    this.dictionary = dictionary;
    this.decoded = new String[dictionary.getMaxId() + 1];
  }

  @Override
  public void addValueFromDictionary(int dictionaryId) {
    String string = decoded[dictionaryId];
    if (string == null) {
      string = dictionary.decodeToBinary(dictionaryId).toStringUsingUTF8();
      decoded[dictionaryId] = string;
    }
    value = string;
  }

  @Override
  public void addBinary(Binary binary) {
    value = binary.toStringUsingUTF8();
  }
}
