// Command invalidrequests checks that Go's protobuf runtime (proto.Unmarshal of the stubs generated
// from scheduler.proto) refuses every malformed request of proto/testdata/invalid/requests.json
// (see the README there), except the vectors whose "lenient" list names "go": those it is known
// to accept, and it must still accept them, so that the list stays true. The contract refuses
// every vector whatever a runtime does; a Go server must check the lenient ones itself.
//
//	conformance/go/bin/invalidrequests [proto/testdata/invalid/requests.json]
//
// Prints one line per vector and exits 1 when a vector is not handled as its file says.
package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"

	// Registers k1s0.system.scheduler.v2.* in the global registry.
	_ "github.com/k1s0/scheduler/gen/go/k1s0/system/scheduler/v2"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

type vector struct {
	Name      string   `json:"name"`
	RPC       string   `json:"rpc"`
	Message   string   `json:"message"`
	BinaryHex string   `json:"binary_hex"`
	Lenient   []string `json:"lenient"`
}

type file struct {
	Vectors []vector `json:"vectors"`
}

func main() {
	path := "proto/testdata/invalid/requests.json"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var f file
	if err := json.Unmarshal(raw, &f); err != nil {
		fmt.Fprintln(os.Stderr, "not a vector file:", err)
		os.Exit(2)
	}
	if len(f.Vectors) == 0 {
		fmt.Fprintln(os.Stderr, "no vectors in", path)
		os.Exit(2)
	}
	failed := 0
	for _, v := range f.Vectors {
		mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(v.Message))
		if err != nil {
			fmt.Printf("FAIL %s: unknown message %q\n", v.Name, v.Message)
			failed++
			continue
		}
		wire, err := hex.DecodeString(v.BinaryHex)
		if err != nil {
			fmt.Printf("FAIL %s: binary_hex: %v\n", v.Name, err)
			failed++
			continue
		}
		uerr := proto.Unmarshal(wire, mt.New().Interface())
		lenient := slices.Contains(v.Lenient, "go")
		switch {
		case uerr != nil && !lenient:
			fmt.Printf("ok   %s: refused (%v)\n", v.Name, uerr)
		case uerr == nil && lenient:
			fmt.Printf("ok   %s: accepted, as its lenient list says\n", v.Name)
		case uerr == nil:
			fmt.Printf("FAIL %s: accepted by proto.Unmarshal, but its lenient list does not name go\n", v.Name)
			failed++
		default:
			fmt.Printf("FAIL %s: refused (%v), but its lenient list names go\n", v.Name, uerr)
			failed++
		}
	}
	if failed > 0 {
		fmt.Printf("%d of %d vectors not as expected\n", failed, len(f.Vectors))
		os.Exit(1)
	}
	fmt.Printf("all %d vectors as expected\n", len(f.Vectors))
}
