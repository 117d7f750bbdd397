package dev.lockstep.engine.event;

import java.lang.reflect.Array;

/** Stable merge sort of row indices by a comparator over rows, and permutation of columns. */
public final class IndexSort {
  /** Compares two rows by index. */
  @FunctionalInterface
  public interface RowComparator {
    int compare(int left, int right);
  }

  private IndexSort() {}

  public static int[] identity(int size) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    return order;
  }

  /** Sorts {@code order} so that rows come in comparator order; stable; linear when already sorted. */
  public static void sort(int[] order, RowComparator comparator) {
    boolean sorted = true;
    for (int i = 1; i < order.length && sorted; i++) {
      sorted = comparator.compare(order[i - 1], order[i]) <= 0;
    }
    if (!sorted) {
      mergeSort(order, order.clone(), 0, order.length, comparator);
    }
  }

  /** Sorts {@code order} by ascending {@code keys[row]}; stable. */
  public static void sortByKey(int[] order, long[] keys) {
    sort(order, (left, right) -> Long.compare(keys[left], keys[right]));
  }

  private static void mergeSort(int[] target, int[] source, int from, int to, RowComparator comparator) {
    if (to - from < 16) {
      for (int i = from + 1; i < to; i++) {
        int row = target[i];
        int j = i - 1;
        while (j >= from && comparator.compare(target[j], row) > 0) {
          target[j + 1] = target[j];
          j--;
        }
        target[j + 1] = row;
      }
      return;
    }
    int middle = (from + to) >>> 1;
    mergeSort(source, target, from, middle, comparator);
    mergeSort(source, target, middle, to, comparator);
    if (comparator.compare(source[middle - 1], source[middle]) <= 0) {
      System.arraycopy(source, from, target, from, to - from);
      return;
    }
    for (int i = from, left = from, right = middle; i < to; i++) {
      if (right >= to || (left < middle && comparator.compare(source[left], source[right]) <= 0)) {
        target[i] = source[left++];
      } else {
        target[i] = source[right++];
      }
    }
  }

  /** A new array holding {@code values[order[i]]} at {@code i}; any primitive or object array. */
  @SuppressWarnings("unchecked")
  public static <A> A permute(A values, int[] order) {
    A permuted = (A) Array.newInstance(values.getClass().getComponentType(), Array.getLength(values));
    for (int i = 0; i < order.length; i++) {
      Array.set(permuted, i, Array.get(values, order[i]));
    }
    return permuted;
  }
}
