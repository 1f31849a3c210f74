// manifest-check validates the hub's deployment files offline, with the projects' own code rather
// than a description of it:
//
//	manifest-check kustomize <overlay dir>...   builds each overlay with kustomize (krusty, the
//	    code behind `kubectl apply -k`) and decodes every resource strictly into its Kubernetes API
//	    type (client-go's scheme): an unknown field, a duplicate field, a wrong type or an unknown
//	    kind is an error.
//	manifest-check compose <compose.yaml>       loads the file with the Compose specification's
//	    loader (compose-go), which validates it against the specification's JSON schema and
//	    resolves it as `docker compose config` does.
//
// On success it prints what it built as JSON on stdout (the resources of each overlay, or the
// resolved compose project), so that tests can check their content; on failure it prints every
// problem on stderr and exits with status 1 (2 for a usage error).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

const usage = `usage: manifest-check kustomize <overlay dir>...
       manifest-check compose <compose file>`

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	var out any
	var problems []string
	switch os.Args[1] {
	case "kustomize":
		out, problems = checkOverlays(os.Args[2:])
	case "compose":
		if len(os.Args) != 3 {
			fmt.Fprintln(os.Stderr, usage)
			os.Exit(2)
		}
		out, problems = checkCompose(os.Args[2])
	default:
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	if len(problems) > 0 {
		for _, problem := range problems {
			fmt.Fprintln(os.Stderr, problem)
		}
		os.Exit(1)
	}
	if err := writeJSON(os.Stdout, out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type overlay struct {
	Dir       string            `json:"dir"`
	Resources []json.RawMessage `json:"resources"`
}

func checkOverlays(dirs []string) ([]overlay, []string) {
	// Strict: the JSON decoder refuses fields the Go type lacks and fields given twice.
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	kustomizer := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	var overlays []overlay
	var problems []string
	for _, dir := range dirs {
		resources, err := kustomizer.Run(filesys.MakeFsOnDisk(), dir)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: kustomize build failed: %v", dir, err))
			continue
		}
		built := overlay{Dir: dir}
		for _, resource := range resources.Resources() {
			id := fmt.Sprintf("%s %s/%s", dir, resource.GetKind(), resource.GetName())
			data, err := resource.MarshalJSON()
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", id, err))
				continue
			}
			if err := decodeStrictly(decoder, data); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", id, err))
				continue
			}
			built.Resources = append(built.Resources, data)
		}
		overlays = append(overlays, built)
	}
	return overlays, problems
}

func decodeStrictly(decoder runtime.Decoder, data []byte) error {
	obj, gvk, err := decoder.Decode(data, nil, nil)
	if err != nil {
		// A strict error comes with the decoded object: it must not count as a success.
		return err
	}
	if _, unstructured := obj.(runtime.Unstructured); unstructured {
		return fmt.Errorf("%s is not a Kubernetes API type this check knows", gvk)
	}
	return nil
}

func checkCompose(file string) (any, []string) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, []string{err.Error()}
	}
	// Only the file decides: no variable from the caller's environment or a .env file changes it.
	options, err := cli.NewProjectOptions(
		[]string{abs},
		cli.WithWorkingDirectory(filepath.Dir(abs)),
		cli.WithEnv(nil),
		cli.WithName("clusterpolisee-hub"),
	)
	if err != nil {
		return nil, []string{err.Error()}
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		return nil, []string{fmt.Sprintf("%s: %v", file, strings.TrimSpace(err.Error()))}
	}
	data, err := project.MarshalJSON()
	if err != nil {
		return nil, []string{err.Error()}
	}
	return json.RawMessage(data), nil
}

func writeJSON(w io.Writer, value any) error {
	encoder := json.NewEncoder(w)
	encoder.SetIndent("", "  ")
	return encoder.Encode(value)
}
