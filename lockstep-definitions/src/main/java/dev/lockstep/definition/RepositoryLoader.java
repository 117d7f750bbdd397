package dev.lockstep.definition;

import dev.lockstep.io.IoReasons;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.definition.FeatureRepository;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a feature repository: every {@code *.yaml} and {@code *.yml} file under a directory, in
 * order of relative path (following symbolic links), skipping hidden files and directories,
 * directories named {@code data}, and the project configuration file {@value #CONFIG_FILE} (or
 * {@code lockstep.yml}) at the top. A file may hold several YAML documents. The reference of the
 * file format is {@code docs/definitions.md}.
 */
public final class RepositoryLoader {
  /** The project configuration file at the top of a repository; it holds no definitions. */
  public static final String CONFIG_FILE = "lockstep.yaml";

  private RepositoryLoader() {}

  /**
   * Reads and checks the repository under {@code directory}, loading on-demand classes with the
   * thread's context class loader (or this class's, if there is none).
   *
   * @throws DefinitionErrors listing every problem of every file, if there is any
   * @throws InvalidDefinitionException if {@code directory} is not a directory or holds no
   *     definition file
   */
  public static LoadedRepository load(Path directory) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return load(directory, loader != null ? loader : RepositoryLoader.class.getClassLoader());
  }

  /**
   * Reads and checks the repository under {@code directory}, loading on-demand classes with {@code
   * classLoader}. Nothing is returned unless the whole repository is valid.
   *
   * @throws DefinitionErrors listing every problem of every file, if there is any
   * @throws InvalidDefinitionException if {@code directory} is not a directory or holds no
   *     definition file
   */
  public static LoadedRepository load(Path directory, ClassLoader classLoader) {
    return load(directory, Objects.requireNonNull(classLoader, "classLoader"), true);
  }

  /** As {@link #load(Path, ClassLoader)}; on-demand classes are not loaded if {@code loadClasses} is false. */
  static LoadedRepository load(Path directory, ClassLoader classLoader, boolean loadClasses) {
    List<Path> files = files(directory);
    ParseResult result = new ParseResult();
    for (Path file : files) {
      read(file, result);
    }
    FeatureRepository repository = result.builder.build();
    RepositoryValidator.check(repository, result.locations, result.broken,
        loadClasses ? classLoader : null, result.problems);
    result.problems.throwIfAny();
    return new LoadedRepository(directory, files, repository, result.locations);
  }

  /** The definition files under {@code directory}, sorted by relative path. */
  static List<Path> files(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new InvalidDefinitionException("Cannot load feature repository '" + directory
          + "': it is not a directory (give the directory that holds the definition files)");
    }
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(directory, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
          if (dir.equals(directory)) {
            return FileVisitResult.CONTINUE;
          }
          String name = dir.getFileName().toString();
          return name.startsWith(".") || name.equals("data")
              ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          String name = file.getFileName().toString();
          boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
          boolean config = file.getParent().equals(directory)
              && (name.equals(CONFIG_FILE) || name.equals("lockstep.yml"));
          if (yaml && !config && !name.startsWith(".") && attributes.isRegularFile()) {
            files.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new InvalidDefinitionException("Cannot load feature repository '" + directory
          + "': " + e.getMessage() + " (check that the directory is readable)");
    }
    if (files.isEmpty()) {
      throw new InvalidDefinitionException("Cannot load feature repository '" + directory
          + "': it holds no .yaml or .yml file (point at the directory of your definitions)");
    }
    files.sort(Comparator.comparing(file -> directory.relativize(file).toString()));
    return files;
  }

  private static void read(Path file, ParseResult result) {
    DefinitionParser parser = new DefinitionParser(file, result);
    LoaderOptions options = new LoaderOptions();
    options.setAllowRecursiveKeys(false);
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (Node document : new Yaml(options).composeAll(reader)) {
        parser.parse(document);
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 1 : mark.getLine() + 1;
      result.problems.add(Location.of(file, line), "Cannot read " + file.getFileName() + ": "
          + String.valueOf(e.getProblem()).strip() + " (fix the YAML syntax)");
    } catch (YAMLException e) {
      boolean unreadable = e.getCause() instanceof IOException;
      result.problems.add(Location.of(file, 1), "Cannot read " + file.getFileName() + ": "
          + (unreadable ? IoReasons.of(e) + " (save it as UTF-8)"
              : e.getMessage().lines().findFirst().orElse("") + " (fix the YAML syntax)"));
    } catch (IOException e) {
      result.problems.add(Location.of(file, 1), "Cannot read " + file.getFileName() + ": " + IoReasons.of(e)
          + " (check that it is a readable UTF-8 file)");
    }
  }
}
